package io.currents.image;

import io.currents.api.image.v1.ImagePolicy;
import io.currents.api.image.v1.ImagePolicySpec;
import io.currents.api.image.v1.ImagePolicyStatus;
import io.currents.api.image.v1.ImageRef;
import io.currents.api.image.v1.ImageRepository;
import io.currents.api.meta.FluxMeta;
import io.currents.api.meta.NamespaceSelector;
import io.currents.image.policy.PolicyException;
import io.currents.image.policy.TagFilter;
import io.currents.image.policy.TagPolicy;
import io.currents.image.registry.ImageName;
import io.currents.image.registry.RegistryException;
import io.currents.runtime.reconcile.Conditions;
import io.currents.runtime.reconcile.FluxReconciler;
import io.currents.runtime.reconcile.FluxUpdateFilter;
import io.currents.runtime.reconcile.Ready;
import io.currents.runtime.reconcile.ReconcileFailure;
import io.currents.runtime.reconcile.Reconciliation;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Namespace;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reconciles an ImagePolicy: resolve the ImageRepository (across namespaces only when its
 * {@code accessFrom} allows), read its scanned tags, filter and extract, pick the latest by the
 * policy, optionally resolve its digest, and report {@code status.latestRef}. Re-evaluated whenever
 * the repository's scan result changes.
 */
@ControllerConfiguration(name = "imagepolicy", finalizerName = FluxMeta.FINALIZER,
        informer = @Informer(onUpdateFilter = FluxUpdateFilter.class))
public class ImagePolicyReconciler extends FluxReconciler<ImagePolicy, ImagePolicyStatus> implements Cleaner<ImagePolicy> {

    static final String ACCESS_DENIED = "AccessDenied";
    static final String DEPENDENCY_NOT_READY = Conditions.DEPENDENCY_NOT_READY;
    static final String INVALID_POLICY = "InvalidPolicy";
    static final String NO_MATCHING_TAG = "NoMatchingTag";
    static final String REPOSITORY_INDEX = "imageRepositoryRef";

    @Inject
    TagStore store;
    @Inject
    RegistryAccess access;

    @ConfigProperty(name = "no-cross-namespace-refs", defaultValue = "false")
    boolean noCrossNamespaceRefs;
    private volatile InformerEventSource<ImageRepository, ImagePolicy> repositories;

    /** Watches ImageRepositories: a new scan result (or readiness) re-evaluates every policy that points at it. */
    @Override
    public List<EventSource<?, ImagePolicy>> prepareEventSources(EventSourceContext<ImagePolicy> context) {
        var primaries = context.getPrimaryCache();
        primaries.addIndexer(REPOSITORY_INDEX, p -> p.getSpec() == null || p.getSpec().getImageRepositoryRef() == null
                ? List.of() : List.of(repositoryKey(p)));
        var configuration = InformerEventSourceConfiguration.from(ImageRepository.class, ImagePolicy.class)
                .withName("imagerepositories")
                .withSecondaryToPrimaryMapper(repo -> primaries.byIndex(REPOSITORY_INDEX,
                                repo.getMetadata().getNamespace() + "/" + repo.getMetadata().getName())
                        .stream().map(ResourceID::fromResource).collect(Collectors.toSet()))
                .withOnUpdateFilter((updated, old) -> !Objects.equals(scanOf(updated), scanOf(old)))
                .build();
        repositories = new InformerEventSource<>(configuration, context);
        return List.of(repositories);
    }

    static String repositoryKey(ImagePolicy p) {
        String ns = p.getSpec().getImageRepositoryRef().getNamespace();
        return (ns == null || ns.isBlank() ? p.getMetadata().getNamespace() : ns) + "/" + p.getSpec().getImageRepositoryRef().getName();
    }

    private static String scanOf(ImageRepository repo) {
        if (repo.getStatus() == null) {
            return null;
        }
        var r = repo.getStatus().getLastScanResult();
        String ready = Conditions.find(repo.getStatus().getConditions(), Conditions.READY).map(Condition::getStatus).orElse("");
        return (r == null ? "" : r.getRevision() + "|" + r.getTagCount() + "|" + r.getScanTime()) + "|" + ready
                + "|" + repo.getStatus().getCanonicalImageName() + "|" + repo.getSpec().getImage();
    }

    @Override
    protected ImagePolicyStatus newStatus() {
        return new ImagePolicyStatus();
    }

    /** {@code spec.interval} is optional: it paces digest checks ({@code Always}) and caps the retries, 1m by default. */
    @Override
    protected Duration defaultInterval() {
        return Duration.ofMinutes(1);
    }

    @Override
    protected Map<String, String> eventMetadata(Reconciliation<ImagePolicy, ImagePolicyStatus> r) {
        ImageRef latest = r.status().getLatestRef();
        return latest == null ? Map.of() : Map.of("revision", latest.getTag());
    }

    @Override
    protected Ready steps(Reconciliation<ImagePolicy, ImagePolicyStatus> r) throws ReconcileFailure {
        ImagePolicySpec spec = r.object().getSpec();
        Rules rules = rules(spec);
        ImageRepository repo = repository(r);
        List<String> tags = scannedTags(repo);
        String tag = latestTag(rules, repo, tags, spec);
        ImageRef latest = withDigest(rules, repo, tag, r.status().getLatestRef());
        Ready ready = record(r, repo, latest);
        // Always re-resolves the digest each interval; otherwise the repository's scans drive the policy
        return rules.reflection().equals("Always") ? ready : ready.withoutRequeue();
    }

    /** What the spec asks: a tag policy, a tag filter and a digest reflection policy. */
    private record Rules(TagPolicy policy, TagFilter filter, String reflection) {
    }

    /** 1. The policy, filter and digest reflection of the spec; an invalid one stalls until the spec changes. */
    private static Rules rules(ImagePolicySpec spec) throws ReconcileFailure {
        String reflection = spec.getDigestReflectionPolicy() == null ? "Never" : spec.getDigestReflectionPolicy();
        try {
            TagPolicy tagPolicy = TagPolicy.of(spec.getPolicy());
            TagFilter filter = new TagFilter(spec.getFilterTags() == null ? null : spec.getFilterTags().getPattern(),
                    spec.getFilterTags() == null ? null : spec.getFilterTags().getExtract());
            if (!List.of("Never", "IfNotPresent", "Always").contains(reflection)) {
                throw new PolicyException("invalid digestReflectionPolicy '" + reflection + "': use Never, IfNotPresent or Always");
            }
            if (reflection.equals("Always") && (spec.getInterval() == null || spec.getInterval().isBlank())) {
                throw new PolicyException("digestReflectionPolicy 'Always' needs spec.interval, the period of the digest checks");
            }
            return new Rules(tagPolicy, filter, reflection);
        } catch (PolicyException e) {
            throw ReconcileFailure.stalled(INVALID_POLICY, e.getMessage());
        }
    }

    /** 2. The ImageRepository: present, allowed from this namespace, scanned and not failing. */
    private ImageRepository repository(Reconciliation<ImagePolicy, ImagePolicyStatus> r) throws ReconcileFailure {
        ImagePolicySpec spec = r.object().getSpec();
        String ns = r.object().getMetadata().getNamespace();
        String repoNs = spec.getImageRepositoryRef().getNamespace() == null || spec.getImageRepositoryRef().getNamespace().isBlank()
                ? ns : spec.getImageRepositoryRef().getNamespace();
        String repoName = spec.getImageRepositoryRef().getName();
        ImageRepository repo = repositories == null
                ? client.resources(ImageRepository.class).inNamespace(repoNs).withName(repoName).get()
                : repositories.get(new ResourceID(repoName, repoNs)).orElse(null);
        if (repo == null) {
            throw ReconcileFailure.retry(DEPENDENCY_NOT_READY, "referenced ImageRepository '" + repoNs + "/" + repoName + "' not found");
        }
        if (!repoNs.equals(ns)) {
            Optional<String> denied = crossNamespaceDenial(repo, ns);
            if (denied.isPresent()) {
                throw ReconcileFailure.stalled(ACCESS_DENIED, denied.get());
            }
        }
        var repoStatus = repo.getStatus();
        if (repoStatus == null || repoStatus.getCanonicalImageName() == null || repoStatus.getLastScanResult() == null) {
            throw ReconcileFailure.retry(DEPENDENCY_NOT_READY, "the ImageRepository '" + repoNs + "/" + repoName + "' has not been scanned yet");
        }
        Optional<Condition> repoReady = Conditions.find(repoStatus.getConditions(), Conditions.READY);
        if (repoReady.isPresent() && Conditions.FALSE.equals(repoReady.get().getStatus())) {
            // the last pick stays in latestRef; the policy says why it cannot move on
            throw ReconcileFailure.retry(DEPENDENCY_NOT_READY, "the ImageRepository '" + repoNs + "/" + repoName
                    + "' is not ready: " + repoReady.get().getMessage());
        }
        return repo;
    }

    /** 3. The tags the repository's last scan stored. */
    private List<String> scannedTags(ImageRepository repo) throws ReconcileFailure {
        var repoStatus = repo.getStatus();
        List<String> tags = store.tags(repoStatus.getCanonicalImageName());
        if (tags.isEmpty()) {
            String subject = "the ImageRepository '" + repo.getMetadata().getNamespace() + "/" + repo.getMetadata().getName() + "'";
            boolean scannedEmpty = Integer.valueOf(0).equals(repoStatus.getLastScanResult().getTagCount());
            throw ReconcileFailure.retry(DEPENDENCY_NOT_READY, scannedEmpty
                    ? subject + " has no tags (" + repoStatus.getCanonicalImageName() + ")"
                    : "no tags stored yet for '" + repoStatus.getCanonicalImageName() + "': waiting for " + subject + " to scan");
        }
        return tags;
    }

    /** 4. The latest tag by the policy, among those the filter keeps (by their extracted values). */
    private static String latestTag(Rules rules, ImageRepository repo, List<String> tags, ImagePolicySpec spec) throws ReconcileFailure {
        Map<String, String> candidates = rules.filter().apply(tags);
        Optional<String> pickedValue;
        try {
            pickedValue = rules.policy().latest(new ArrayList<>(candidates.values()));
        } catch (PolicyException e) {
            throw ReconcileFailure.retry(INVALID_POLICY, e.getMessage());
        }
        if (pickedValue.isEmpty()) {
            throw ReconcileFailure.retry(NO_MATCHING_TAG, "no tag of '" + repo.getStatus().getCanonicalImageName() + "' matches the policy"
                    + (candidates.size() < tags.size() ? " (" + candidates.size() + " of " + tags.size() + " tags passed filterTags)" : "")
                    + ": " + describe(spec));
        }
        return candidates.entrySet().stream().filter(e -> e.getValue().equals(pickedValue.get()))
                .map(Map.Entry::getKey).sorted().reduce((a, b) -> b).orElseThrow();
    }

    /** 5. The image and tag, with the tag's digest when the reflection policy asks (reused for IfNotPresent). */
    private ImageRef withDigest(Rules rules, ImageRepository repo, String tag, ImageRef previous) throws ReconcileFailure {
        ImageRef latest = new ImageRef();
        latest.setName(repo.getSpec().getImage());
        latest.setTag(tag);
        if (rules.reflection().equals("Never")) {
            return latest;
        }
        boolean sameTag = previous != null && Objects.equals(previous.getName(), latest.getName()) && Objects.equals(previous.getTag(), tag);
        if (rules.reflection().equals("IfNotPresent") && sameTag && previous.getDigest() != null) {
            latest.setDigest(previous.getDigest());
            return latest;
        }
        try {
            ImageName image = ImageName.parse(repo.getSpec().getImage());
            latest.setDigest(access.clientFor(repo, image).digest(tag));
        } catch (ReconcileFailure | RegistryException | IllegalArgumentException e) {
            throw ReconcileFailure.retry(DEPENDENCY_NOT_READY, "failed to resolve the digest of " + repo.getSpec().getImage()
                    + ":" + tag + ": " + e.getMessage());
        }
        return latest;
    }

    /** 6. latestRef (and observedPreviousRef) when the pick moved, with Flux's ImagePolicyUpdated event. */
    private Ready record(Reconciliation<ImagePolicy, ImagePolicyStatus> r, ImageRepository repo, ImageRef latest) {
        ImagePolicyStatus status = r.status();
        ImageRef previous = status.getLatestRef();
        boolean changed = previous == null || !Objects.equals(previous.getName(), latest.getName())
                || !Objects.equals(previous.getTag(), latest.getTag()) || !Objects.equals(previous.getDigest(), latest.getDigest());
        String resolved = "Latest image tag for '" + repo.getSpec().getImage() + "' resolved to " + latest.getTag();
        String message = resolved + (latest.getDigest() == null ? "" : " with digest " + latest.getDigest());
        if (!changed) {
            // the same pick: keep the words of the Ready condition that announced it
            message = Conditions.find(status.getConditions(), Conditions.READY)
                    .filter(c -> Conditions.TRUE.equals(c.getStatus()) && c.getMessage() != null && c.getMessage().startsWith(resolved))
                    .map(Condition::getMessage).orElse(message);
            return Ready.of(Conditions.SUCCEEDED, message);
        }
        if (previous != null) {
            message += " (previously " + previous.getName() + ":" + previous.getTag() + ")";
        }
        status.setObservedPreviousRef(previous);
        status.setLatestRef(latest);
        events.normal(r.object(), "ImagePolicyUpdated", message, Map.of("revision", latest.getTag()));
        return Ready.of(Conditions.SUCCEEDED, message);
    }

    private static String describe(ImagePolicySpec spec) {
        var p = spec.getPolicy();
        if (p.getSemver() != null) {
            return "semver range '" + p.getSemver().getRange() + "'";
        }
        if (p.getAlphabetical() != null) {
            return "alphabetical order '" + Objects.requireNonNullElse(p.getAlphabetical().getOrder(), "asc") + "'";
        }
        return "numerical order '" + Objects.requireNonNullElse(p.getNumerical().getOrder(), "asc") + "'";
    }

    /** Why a policy in {@code policyNs} may not use the repository, or empty when it may (Flux's accessFrom). */
    private Optional<String> crossNamespaceDenial(ImageRepository repo, String policyNs) {
        String ref = "ImageRepository '" + repo.getMetadata().getNamespace() + "/" + repo.getMetadata().getName() + "'";
        if (noCrossNamespaceRefs) {
            return Optional.of("cannot access " + ref + ": cross-namespace references are disabled (--no-cross-namespace-refs)");
        }
        var accessFrom = repo.getSpec().getAccessFrom();
        if (accessFrom == null || accessFrom.getNamespaceSelectors() == null || accessFrom.getNamespaceSelectors().isEmpty()) {
            return Optional.of("cannot access " + ref + ": it does not allow access from namespace '" + policyNs
                    + "' (set spec.accessFrom.namespaceSelectors on the ImageRepository)");
        }
        Namespace namespace = client.namespaces().withName(policyNs).get();
        Map<String, String> labels = namespace == null || namespace.getMetadata().getLabels() == null
                ? Map.of() : namespace.getMetadata().getLabels();
        for (NamespaceSelector selector : accessFrom.getNamespaceSelectors()) {
            Map<String, String> wanted = selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
            if (wanted.entrySet().stream().allMatch(e -> Objects.equals(labels.get(e.getKey()), e.getValue()))) {
                return Optional.empty();
            }
        }
        return Optional.of("cannot access " + ref + ": namespace '" + policyNs + "' matches none of its accessFrom.namespaceSelectors");
    }

    @Override
    public DeleteControl cleanup(ImagePolicy policy, Context<ImagePolicy> context) {
        forget(policy);
        return DeleteControl.defaultDelete();
    }
}
