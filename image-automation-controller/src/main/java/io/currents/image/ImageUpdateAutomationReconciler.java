package io.currents.image;

import io.currents.api.image.v1.CommitSpec;
import io.currents.api.image.v1.GitSpec;
import io.currents.api.image.v1.ImagePolicy;
import io.currents.api.image.v1.ImageRef;
import io.currents.api.image.v1.ImageUpdateAutomation;
import io.currents.api.image.v1.ImageUpdateAutomationSpec;
import io.currents.api.image.v1.ImageUpdateAutomationStatus;
import io.currents.api.meta.FluxMeta;
import io.currents.api.source.v1.GitRepository;
import io.currents.api.source.v1.GitRepositoryRef;
import io.currents.image.update.CommitTemplate;
import io.currents.git.CommitSigning;
import io.currents.git.GitAuth;
import io.currents.git.GitException;
import io.currents.git.GitProxy;
import io.currents.git.GitReference;
import io.currents.git.GitTransport;
import io.currents.git.GitUrl;
import io.currents.git.GitWorkspace;
import io.currents.runtime.git.GitRepositoryAccess;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Signer;
import io.currents.image.update.SetterUpdate;
import io.currents.image.update.TemplateFields;
import io.currents.runtime.reconcile.Conditions;
import io.currents.runtime.reconcile.FluxDuration;
import io.currents.runtime.reconcile.FluxReconciler;
import io.currents.runtime.reconcile.FluxUpdateFilter;
import io.currents.runtime.reconcile.Ready;
import io.currents.runtime.reconcile.ReconcileFailure;
import io.currents.runtime.reconcile.Reconciliation;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
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
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Reconciles an ImageUpdateAutomation: resolve the GitRepository and its credentials, gather the
 * selected ImagePolicies' latest images, skip the run when neither they nor the remote branch
 * changed, otherwise clone, rewrite the setter markers under {@code update.path}, and when a file
 * changed commit with the templated message and push.
 */
@ControllerConfiguration(name = "imageupdateautomation", finalizerName = FluxMeta.FINALIZER,
        informer = @Informer(onUpdateFilter = FluxUpdateFilter.class))
public class ImageUpdateAutomationReconciler extends FluxReconciler<ImageUpdateAutomation, ImageUpdateAutomationStatus>
        implements Cleaner<ImageUpdateAutomation> {

    static final String DEFAULT_MESSAGE_TEMPLATE = "Update from image update automation";
    static final String INVALID_SOURCE_CONFIGURATION = "InvalidSourceConfiguration";
    static final String INVALID_UPDATE_STRATEGY = "InvalidUpdateStrategy";
    static final String INVALID_POLICY_SELECTOR = "InvalidPolicySelector";
    static final String ACCESS_DENIED = "AccessDenied";
    static final String GIT_OPERATION_FAILED = "GitOperationFailed";
    static final String UPDATE_FAILED = "UpdateFailed";
    static final String SOURCE_MANAGER_FAILED = "SourceManagerFailed";

    @ConfigProperty(name = "no-cross-namespace-refs", defaultValue = "false")
    boolean noCrossNamespaceRefs;

    /** Watches ImagePolicies: a new latest image re-runs every automation of the policy's namespace. */
    @Override
    public List<EventSource<?, ImageUpdateAutomation>> prepareEventSources(EventSourceContext<ImageUpdateAutomation> context) {
        var primaries = context.getPrimaryCache();
        var configuration = InformerEventSourceConfiguration.from(ImagePolicy.class, ImageUpdateAutomation.class)
                .withName("imagepolicies")
                .withSecondaryToPrimaryMapper(policy -> primaries.list(policy.getMetadata().getNamespace())
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .withOnUpdateFilter((updated, old) -> !Objects.equals(latestOf(updated), latestOf(old))
                        || !Objects.equals(updated.getMetadata().getLabels(), old.getMetadata().getLabels()))
                .build();
        return List.of(new InformerEventSource<>(configuration, context));
    }

    private static String latestOf(ImagePolicy p) {
        ImageRef r = p.getStatus() == null ? null : p.getStatus().getLatestRef();
        return r == null ? null : r.getName() + ":" + r.getTag() + "@" + r.getDigest();
    }

    @Override
    protected ImageUpdateAutomationStatus newStatus() {
        return new ImageUpdateAutomationStatus();
    }

    @Override
    protected Duration defaultInterval() {
        return Duration.ofMinutes(5);
    }

    /** What to update and where: the source, its checkout, where to push, and the commit message template. */
    private record UpdateTarget(GitRepository source, GitSpec gitSpec, GitReference checkout,
                                String pushBranch, String refspec, boolean pushToBranch, CommitTemplate template) {
    }

    /** The selected policies' latest images: as observed (by policy name) and as setter values. */
    private record PolicyImages(Map<String, ImageRef> observed, Map<String, String> setters) {
    }

    @Override
    protected Ready steps(Reconciliation<ImageUpdateAutomation, ImageUpdateAutomationStatus> r) throws ReconcileFailure {
        UpdateTarget target = updateTarget(r);
        PolicyImages images = policyImages(r);
        return updateRepository(r, target, images);
    }

    /** 1. What to update and where: the validated spec, the GitRepository, the checkout and push branches, the template. */
    private UpdateTarget updateTarget(Reconciliation<ImageUpdateAutomation, ImageUpdateAutomationStatus> r) throws ReconcileFailure {
        ImageUpdateAutomationSpec spec = r.object().getSpec();
        String ns = r.object().getMetadata().getNamespace();
        GitSpec gitSpec = spec.getGit();
        if (gitSpec == null || gitSpec.getCommit() == null || gitSpec.getCommit().getAuthor() == null
                || gitSpec.getCommit().getAuthor().getEmail() == null || gitSpec.getCommit().getAuthor().getEmail().isBlank()) {
            throw ReconcileFailure.stalled(INVALID_SOURCE_CONFIGURATION, "spec.git.commit.author.email is required to commit updates");
        }
        String strategy = spec.getUpdate() == null || spec.getUpdate().getStrategy() == null ? "Setters" : spec.getUpdate().getStrategy();
        if (!strategy.equals("Setters")) {
            throw ReconcileFailure.stalled(INVALID_UPDATE_STRATEGY, "update strategy '" + strategy + "' is unknown: the only strategy is 'Setters'");
        }
        var sourceRef = spec.getSourceRef();
        String kind = sourceRef.getKind() == null ? "GitRepository" : sourceRef.getKind();
        if (!kind.equals("GitRepository")) {
            throw ReconcileFailure.stalled(INVALID_SOURCE_CONFIGURATION, "source kind '" + kind + "' is not supported: use a GitRepository");
        }
        String sourceNs = sourceRef.getNamespace() == null || sourceRef.getNamespace().isBlank() ? ns : sourceRef.getNamespace();
        if (noCrossNamespaceRefs && !sourceNs.equals(ns)) {
            throw ReconcileFailure.stalled(ACCESS_DENIED, "cannot access GitRepository '" + sourceNs + "/" + sourceRef.getName()
                    + "': cross-namespace references are disabled (--no-cross-namespace-refs)");
        }
        GitRepository source = client.resources(GitRepository.class).inNamespace(sourceNs).withName(sourceRef.getName()).get();
        if (source == null) {
            throw ReconcileFailure.retry(Conditions.DEPENDENCY_NOT_READY, "referenced GitRepository '" + sourceNs + "/" + sourceRef.getName() + "' not found");
        }
        GitReference checkout = checkoutRef(gitSpec, source);
        String pushBranch = gitSpec.getPush() != null && notBlank(gitSpec.getPush().getBranch()) ? gitSpec.getPush().getBranch() : checkout.onBranch();
        String refspec = gitSpec.getPush() == null ? null : gitSpec.getPush().getRefspec();
        // a refspec alone pushes only through the refspec; a branch (given or the checkout's) is pushed otherwise too
        boolean pushToBranch = gitSpec.getPush() == null || notBlank(gitSpec.getPush().getBranch()) || !notBlank(refspec);
        if (pushToBranch && pushBranch == null) {
            throw ReconcileFailure.stalled(INVALID_SOURCE_CONFIGURATION, "checking out " + checkout.describe()
                    + " gives no branch to push to: set spec.git.push.branch or spec.git.push.refspec");
        }
        CommitTemplate template;
        try {
            String text = notBlank(gitSpec.getCommit().getMessageTemplate()) ? gitSpec.getCommit().getMessageTemplate() : DEFAULT_MESSAGE_TEMPLATE;
            template = CommitTemplate.parse(text);
        } catch (IllegalArgumentException e) {
            throw ReconcileFailure.stalled(INVALID_SOURCE_CONFIGURATION, "invalid spec.git.commit.messageTemplate: " + e.getMessage());
        }
        return new UpdateTarget(source, gitSpec, checkout, pushBranch, refspec, pushToBranch, template);
    }

    /** 2. The latest images of the ImagePolicies the selector picks in the automation's namespace. */
    private PolicyImages policyImages(Reconciliation<ImageUpdateAutomation, ImageUpdateAutomationStatus> r) throws ReconcileFailure {
        ImageUpdateAutomationSpec spec = r.object().getSpec();
        String ns = r.object().getMetadata().getNamespace();
        List<ImagePolicy> policies;
        try {
            var list = client.resources(ImagePolicy.class).inNamespace(ns);
            policies = (spec.getPolicySelector() == null ? list.list() : list.withLabelSelector(spec.getPolicySelector()).list()).getItems();
        } catch (KubernetesClientException e) {
            throw ReconcileFailure.stalled(INVALID_POLICY_SELECTOR, "invalid spec.policySelector: "
                    + (e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage()));
        }
        Map<String, ImageRef> observed = new TreeMap<>();
        Map<String, String> setters = new LinkedHashMap<>();
        for (ImagePolicy p : policies) {
            ImageRef ref = p.getStatus() == null ? null : p.getStatus().getLatestRef();
            if (ref == null || ref.getName() == null || ref.getTag() == null) {
                continue;
            }
            observed.put(p.getMetadata().getName(), ref);
            String setter = ns + ":" + p.getMetadata().getName();
            setters.put(setter, ref.getName() + ":" + ref.getTag() + (ref.getDigest() == null ? "" : "@" + ref.getDigest()));
            setters.put(setter + ":tag", ref.getTag());
            setters.put(setter + ":name", ref.getName());
            if (ref.getDigest() != null) {
                setters.put(setter + ":digest", ref.getDigest());
            }
        }
        return new PolicyImages(observed, setters);
    }

    /** 3 and 4. Nothing to do when neither the policies nor the branch moved; otherwise clone, rewrite, commit, push. */
    private Ready updateRepository(Reconciliation<ImageUpdateAutomation, ImageUpdateAutomationStatus> r, UpdateTarget target,
                                   PolicyImages images) throws ReconcileFailure {
        ImageUpdateAutomation auto = r.object();
        ImageUpdateAutomationSpec spec = auto.getSpec();
        ImageUpdateAutomationStatus status = r.status();
        GitRepository source = target.source();
        GitSpec gitSpec = target.gitSpec();
        GitReference checkout = target.checkout();
        String pushBranch = target.pushBranch();
        String refspec = target.refspec();
        boolean pushToBranch = target.pushToBranch();
        CommitTemplate template = target.template();
        Map<String, ImageRef> observed = images.observed();
        Map<String, String> setters = images.setters();

        String url = source.getSpec().getUrl();
        GitAuth auth;
        GitProxy proxy;
        Signer signer;
        try {
            GitRepositoryAccess access = new GitRepositoryAccess(client);
            auth = access.auth(source, url);
            proxy = access.proxy(source);
            signer = signer(access, gitSpec, auto.getMetadata().getNamespace());
        } catch (GitException e) {
            throw ReconcileFailure.retry(e.reason(), e.getMessage());
        }
        Duration timeout = FluxDuration.parseOr(source.getSpec().getTimeout(), Duration.ofSeconds(60));

        try (GitTransport transport = GitTransport.of(url, auth, proxy)) {
            // 3. nothing to do when neither the policies nor the branch moved since the last run
            String branchForRevision = pushBranch != null ? pushBranch : checkout.onBranch();
            if (branchForRevision != null && status.getObservedSourceRevision() != null
                    && Objects.equals(status.getObservedPolicies(), observed)
                    && Objects.equals(status.getObservedGeneration(), auto.getMetadata().getGeneration())
                    && !r.requested()
                    && Conditions.isTrue(status.getConditions(), Conditions.READY)) {
                var remote = GitWorkspace.remoteHead(transport, url, branchForRevision, timeout);
                if (remote.isPresent() && status.getObservedSourceRevision().equals(revision(branchForRevision, remote.get()))) {
                    Condition ready = Conditions.find(status.getConditions(), Conditions.READY).orElseThrow();
                    return Ready.of(ready.getReason(), ready.getMessage());
                }
            }

            // 4. clone, rewrite, commit, push
            r.progress("updating " + checkout.describe() + " of " + GitUrl.redact(url));
            Path work = r.workDir("image-update");
            try (GitWorkspace workspace = GitWorkspace.open(transport, url, checkout, pushBranch, work.resolve("repo"), timeout)) {
                String path = spec.getUpdate() == null ? null : spec.getUpdate().getPath();
                SetterUpdate.Result result = SetterUpdate.apply(workspace.root(), path, setters);
                status.setLastAutomationRunTime(clock().instant().truncatedTo(ChronoUnit.SECONDS).toString());
                status.setObservedPolicies(observed.isEmpty() ? null : observed);
                String branch = workspace.branch();
                if (!result.changed()) {
                    status.setObservedSourceRevision(revision(branch, workspace.head()));
                    return Ready.of(Conditions.SUCCEEDED, "repository up-to-date");
                }
                String message;
                try {
                    message = template.render(templateData(auto, result, gitSpec.getCommit()));
                } catch (IllegalArgumentException e) {
                    throw ReconcileFailure.stalled(INVALID_SOURCE_CONFIGURATION, "failed to render spec.git.commit.messageTemplate: " + e.getMessage());
                }
                var author = gitSpec.getCommit().getAuthor();
                String commit = workspace.commit(result.files(), new PersonIdent(notBlank(author.getName()) ? author.getName()
                        : author.getEmail(), author.getEmail()), message, signer);
                workspace.push(pushToBranch ? branch : null, refspec, gitSpec.getPush() == null ? null : gitSpec.getPush().getOptions());
                status.setLastPushCommit(commit);
                status.setLastPushTime(clock().instant().truncatedTo(ChronoUnit.SECONDS).toString());
                status.setObservedSourceRevision(revision(branch, commit));
                String where = pushToBranch ? "branch '" + branch + "'" : "refspec '" + refspec + "'";
                if (pushToBranch && notBlank(refspec)) {
                    where += " and refspec '" + refspec + "'";
                }
                String pushed = "pushed commit '" + commit.substring(0, 7) + "' to " + where;
                events.normal(auto, "Succeeded", "committed and " + pushed + "\n" + message, Map.of("revision", revision(branch, commit)));
                return Ready.of(Conditions.SUCCEEDED, pushed);
            }
        } catch (GitException e) {
            if (e.reason().equals(INVALID_SOURCE_CONFIGURATION) || e.reason().equals("InvalidPath")) {
                throw ReconcileFailure.stalled(e.reason(), e.getMessage());
            }
            throw ReconcileFailure.retry(e.reason(), e.getMessage());
        } catch (IOException e) {
            throw ReconcileFailure.retry(GIT_OPERATION_FAILED, "failed to prepare a working directory: " + e.getMessage());
        }
    }

    private static String revision(String branch, String commit) {
        return branch + "@sha1:" + commit;
    }

    private static GitReference checkoutRef(GitSpec gitSpec, GitRepository source) {
        GitRepositoryRef ref = gitSpec.getCheckout() != null && gitSpec.getCheckout().getRef() != null
                ? gitSpec.getCheckout().getRef() : source.getSpec().getRef();
        if (ref == null) {
            return GitReference.branch(GitReference.DEFAULT_BRANCH);
        }
        return new GitReference(blankToNull(ref.getBranch()), blankToNull(ref.getTag()), blankToNull(ref.getSemver()),
                blankToNull(ref.getName()), blankToNull(ref.getCommit()));
    }

    /** The signer of {@code spec.git.commit.signingKey}, or null; a key that cannot be used fails as Flux's SourceManagerFailed. */
    private static Signer signer(GitRepositoryAccess access, GitSpec gitSpec, String ns) throws GitException {
        var signingKey = gitSpec.getCommit().getSigningKey();
        if (signingKey == null) {
            return null;
        }
        String name = signingKey.getSecretRef() == null ? null : signingKey.getSecretRef().getName();
        try {
            return CommitSigning.fromSecret(signingKey.getType(), access.secretData(ns, name, SOURCE_MANAGER_FAILED),
                    "secret '" + ns + "/" + name + "'");
        } catch (GitException e) {
            throw new GitException(SOURCE_MANAGER_FAILED, e.getMessage());
        }
    }

    /** Flux's template data: {@code .AutomationObject}, {@code .Changed} (FileChanges, Objects, Changes), {@code .Values}. */
    private static Map<String, Object> templateData(ImageUpdateAutomation auto, SetterUpdate.Result result, CommitSpec commit) {
        Map<String, Object> changed = new LinkedHashMap<>();
        changed.put("FileChanges", result.fileChanges());
        changed.put("Objects", result.objects());
        changed.put("Changes", result.changes());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("AutomationObject", new NamespacedName(auto.getMetadata().getNamespace(), auto.getMetadata().getName()));
        data.put("Changed", changed);
        data.put("Values", commit.getMessageTemplateValues() == null ? Map.of() : commit.getMessageTemplateValues());
        return data;
    }

    /** {@code .AutomationObject}: prints as {@code namespace/name}, with {@code .Namespace} and {@code .Name}. */
    record NamespacedName(String namespace, String name) implements TemplateFields {
        @Override
        public Object field(String field) {
            return switch (field) {
                case "Namespace" -> namespace;
                case "Name" -> name;
                default -> throw new IllegalArgumentException("the automation object has no field '" + field + "' (it has Namespace, Name)");
            };
        }

        @Override
        public String toString() {
            return namespace + "/" + name;
        }
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    private static String blankToNull(String s) {
        return notBlank(s) ? s : null;
    }

    @Override
    public DeleteControl cleanup(ImageUpdateAutomation auto, Context<ImageUpdateAutomation> context) {
        forget(auto);
        return DeleteControl.defaultDelete();
    }
}
