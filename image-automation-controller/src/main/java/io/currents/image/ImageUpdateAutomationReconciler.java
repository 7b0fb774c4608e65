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
import io.currents.git.CommitSigning;
import io.currents.git.GitAuth;
import io.currents.git.GitException;
import io.currents.git.GitProxy;
import io.currents.git.GitReference;
import io.currents.git.GitTransport;
import io.currents.git.GitUrl;
import io.currents.git.GitWorkspace;
import io.currents.image.update.CommitTemplate;
import io.currents.image.update.SetterUpdate;
import io.currents.image.update.TemplateFields;
import io.currents.runtime.Conditions;
import io.currents.runtime.EventRecorder;
import io.currents.runtime.FluxDuration;
import io.currents.runtime.FluxUpdateFilter;
import io.currents.runtime.ReconcileMetrics;
import io.currents.runtime.ReconcileRequest;
import io.currents.runtime.RequeuePolicy;
import io.currents.runtime.git.GitRepositoryAccess;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import jakarta.inject.Inject;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Signer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reconciles an ImageUpdateAutomation: resolve the GitRepository and its credentials, gather the
 * selected ImagePolicies' latest images, skip the run when neither they nor the remote branch
 * changed, otherwise clone, rewrite the setter markers under {@code update.path}, and when a file
 * changed commit with the templated message and push.
 */
@ControllerConfiguration(name = "imageupdateautomation", finalizerName = FluxMeta.FINALIZER,
        informer = @Informer(onUpdateFilter = FluxUpdateFilter.class))
public class ImageUpdateAutomationReconciler implements Reconciler<ImageUpdateAutomation>, Cleaner<ImageUpdateAutomation> {

    static final String DEFAULT_MESSAGE_TEMPLATE = "Update from image update automation";
    static final String INVALID_SOURCE_CONFIGURATION = "InvalidSourceConfiguration";
    static final String INVALID_UPDATE_STRATEGY = "InvalidUpdateStrategy";
    static final String INVALID_POLICY_SELECTOR = "InvalidPolicySelector";
    static final String ACCESS_DENIED = "AccessDenied";
    static final String GIT_OPERATION_FAILED = "GitOperationFailed";
    static final String UPDATE_FAILED = "UpdateFailed";
    static final String SOURCE_MANAGER_FAILED = "SourceManagerFailed";
    private static final Logger LOG = Logger.getLogger(ImageUpdateAutomationReconciler.class);

    @Inject
    KubernetesClient client;
    @Inject
    EventRecorder events;
    @Inject
    ReconcileMetrics metrics;

    @ConfigProperty(name = "interval-jitter-percentage", defaultValue = "5")
    int jitterPercentage;
    @ConfigProperty(name = "no-cross-namespace-refs", defaultValue = "false")
    boolean noCrossNamespaceRefs;

    private final Clock clock = Clock.systemUTC();
    private volatile RequeuePolicy requeue;

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
    public UpdateControl<ImageUpdateAutomation> reconcile(ImageUpdateAutomation auto, Context<ImageUpdateAutomation> context) {
        long started = System.nanoTime();
        ImageUpdateAutomationSpec spec = auto.getSpec();
        ImageUpdateAutomationStatus status = auto.getStatus() == null ? new ImageUpdateAutomationStatus() : auto.getStatus();
        if (status.getConditions() == null) {
            status.setConditions(new ArrayList<>());
        }
        ImageUpdateAutomationStatus before = ImageKinds.copy(status, ImageUpdateAutomationStatus.class);
        String key = ImageKinds.key(auto);
        boolean suspended = Boolean.TRUE.equals(spec.getSuspend());
        metrics.recordSuspend(auto, suspended);
        if (suspended) {
            return UpdateControl.noUpdate();
        }
        Conditions conditions = Conditions.of(status.getConditions(), auto.getMetadata().getGeneration(), clock);
        Duration interval = FluxDuration.parseOr(spec.getInterval(), Duration.ofMinutes(5));
        Duration next;
        try {
            next = run(auto, spec, status, conditions, interval);
        } catch (RuntimeException e) {
            LOG.errorf(e, "unexpected failure reconciling %s", key);
            conditions.markFailedWithRetry(Conditions.FAILED, "reconciliation failed: " + ImageKinds.describe(e));
            next = requeue().afterFailure(key, interval);
        }
        ReconcileRequest.requestedAt(auto).ifPresent(status::setLastHandledReconcileAt);
        status.setObservedGeneration(auto.getMetadata().getGeneration());
        ImageKinds.notifyReadyChange(events, auto, before.getConditions(), status.getConditions(), Map.of());
        metrics.recordCondition(auto, status.getConditions(), Conditions.READY, false);
        metrics.recordDuration(auto, Duration.ofNanos(System.nanoTime() - started));
        return ImageKinds.finish(auto, before, status, next);
    }

    private Duration run(ImageUpdateAutomation auto, ImageUpdateAutomationSpec spec, ImageUpdateAutomationStatus status,
                         Conditions conditions, Duration interval) {
        String key = ImageKinds.key(auto);
        String ns = auto.getMetadata().getNamespace();

        // 1. what to update and where: validated spec, source, credentials
        GitSpec gitSpec = spec.getGit();
        if (gitSpec == null || gitSpec.getCommit() == null || gitSpec.getCommit().getAuthor() == null
                || gitSpec.getCommit().getAuthor().getEmail() == null || gitSpec.getCommit().getAuthor().getEmail().isBlank()) {
            conditions.markStalled(INVALID_SOURCE_CONFIGURATION, "spec.git.commit.author.email is required to commit updates");
            return null;
        }
        String strategy = spec.getUpdate() == null || spec.getUpdate().getStrategy() == null ? "Setters" : spec.getUpdate().getStrategy();
        if (!strategy.equals("Setters")) {
            conditions.markStalled(INVALID_UPDATE_STRATEGY, "update strategy '" + strategy + "' is unknown: the only strategy is 'Setters'");
            return null;
        }
        var sourceRef = spec.getSourceRef();
        String kind = sourceRef.getKind() == null ? "GitRepository" : sourceRef.getKind();
        if (!kind.equals("GitRepository")) {
            conditions.markStalled(INVALID_SOURCE_CONFIGURATION, "source kind '" + kind + "' is not supported: use a GitRepository");
            return null;
        }
        String sourceNs = sourceRef.getNamespace() == null || sourceRef.getNamespace().isBlank() ? ns : sourceRef.getNamespace();
        if (noCrossNamespaceRefs && !sourceNs.equals(ns)) {
            conditions.markStalled(ACCESS_DENIED, "cannot access GitRepository '" + sourceNs + "/" + sourceRef.getName()
                    + "': cross-namespace references are disabled (--no-cross-namespace-refs)");
            return null;
        }
        GitRepository source = client.resources(GitRepository.class).inNamespace(sourceNs).withName(sourceRef.getName()).get();
        if (source == null) {
            conditions.markFailedWithRetry(Conditions.DEPENDENCY_NOT_READY, "referenced GitRepository '" + sourceNs + "/" + sourceRef.getName() + "' not found");
            return requeue().afterFailure(key, interval);
        }
        GitReference checkout = checkoutRef(gitSpec, source);
        String pushBranch = gitSpec.getPush() != null && notBlank(gitSpec.getPush().getBranch()) ? gitSpec.getPush().getBranch() : checkout.onBranch();
        String refspec = gitSpec.getPush() == null ? null : gitSpec.getPush().getRefspec();
        // a refspec alone pushes only through the refspec; a branch (given or the checkout's) is pushed otherwise too
        boolean pushToBranch = gitSpec.getPush() == null || notBlank(gitSpec.getPush().getBranch()) || !notBlank(refspec);
        if (pushToBranch && pushBranch == null) {
            conditions.markStalled(INVALID_SOURCE_CONFIGURATION, "checking out " + checkout.describe()
                    + " gives no branch to push to: set spec.git.push.branch or spec.git.push.refspec");
            return null;
        }
        CommitTemplate template;
        try {
            String text = notBlank(gitSpec.getCommit().getMessageTemplate()) ? gitSpec.getCommit().getMessageTemplate() : DEFAULT_MESSAGE_TEMPLATE;
            template = CommitTemplate.parse(text);
        } catch (IllegalArgumentException e) {
            conditions.markStalled(INVALID_SOURCE_CONFIGURATION, "invalid spec.git.commit.messageTemplate: " + e.getMessage());
            return null;
        }

        // 2. the selected policies' latest images
        List<ImagePolicy> policies;
        try {
            var list = client.resources(ImagePolicy.class).inNamespace(ns);
            policies = (spec.getPolicySelector() == null ? list.list() : list.withLabelSelector(spec.getPolicySelector()).list()).getItems();
        } catch (KubernetesClientException e) {
            conditions.markStalled(INVALID_POLICY_SELECTOR, "invalid spec.policySelector: "
                    + (e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage()));
            return null;
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

        String url = source.getSpec().getUrl();
        GitAuth auth;
        GitProxy proxy;
        Signer signer;
        try {
            GitRepositoryAccess access = new GitRepositoryAccess(client);
            auth = access.auth(source, url);
            proxy = access.proxy(source);
            signer = signer(access, gitSpec, ns);
        } catch (GitException e) {
            conditions.markFailedWithRetry(e.reason(), e.getMessage());
            return requeue().afterFailure(key, interval);
        }
        Duration timeout = FluxDuration.parseOr(source.getSpec().getTimeout(), Duration.ofSeconds(60));

        Path work = null;
        try (GitTransport transport = GitTransport.of(url, auth, proxy)) {
            // 3. nothing to do when neither the policies nor the branch moved since the last run
            String branchForRevision = pushBranch != null ? pushBranch : checkout.onBranch();
            if (branchForRevision != null && status.getObservedSourceRevision() != null
                    && Objects.equals(status.getObservedPolicies(), observed)
                    && Objects.equals(status.getObservedGeneration(), auto.getMetadata().getGeneration())
                    && !ReconcileRequest.isPending(auto, status.getLastHandledReconcileAt())
                    && Conditions.isTrue(status.getConditions(), Conditions.READY)) {
                var remote = GitWorkspace.remoteHead(transport, url, branchForRevision, timeout);
                if (remote.isPresent() && status.getObservedSourceRevision().equals(revision(branchForRevision, remote.get()))) {
                    return requeue().afterSuccess(key, interval);
                }
            }

            // 4. clone, rewrite, commit, push
            conditions.markReconciling(Conditions.PROGRESSING, "updating " + checkout.describe() + " of " + GitUrl.redact(url));
            work = Files.createTempDirectory("image-update-" + ns + "-" + auto.getMetadata().getName() + "-");
            try (GitWorkspace workspace = GitWorkspace.open(transport, url, checkout, pushBranch, work.resolve("repo"), timeout)) {
                String path = spec.getUpdate() == null ? null : spec.getUpdate().getPath();
                SetterUpdate.Result result = SetterUpdate.apply(workspace.root(), path, setters);
                status.setLastAutomationRunTime(clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
                status.setObservedPolicies(observed.isEmpty() ? null : observed);
                String branch = workspace.branch();
                if (!result.changed()) {
                    status.setObservedSourceRevision(revision(branch, workspace.head()));
                    conditions.markReady(Conditions.SUCCEEDED, "repository up-to-date");
                    return requeue().afterSuccess(key, interval);
                }
                String message;
                try {
                    message = template.render(templateData(auto, result, gitSpec.getCommit()));
                } catch (IllegalArgumentException e) {
                    conditions.markStalled(INVALID_SOURCE_CONFIGURATION, "failed to render spec.git.commit.messageTemplate: " + e.getMessage());
                    return null;
                }
                var author = gitSpec.getCommit().getAuthor();
                String commit = workspace.commit(result.files(), new PersonIdent(notBlank(author.getName()) ? author.getName()
                        : author.getEmail(), author.getEmail()), message, signer);
                workspace.push(pushToBranch ? branch : null, refspec, gitSpec.getPush() == null ? null : gitSpec.getPush().getOptions());
                status.setLastPushCommit(commit);
                status.setLastPushTime(clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
                status.setObservedSourceRevision(revision(branch, commit));
                String where = pushToBranch ? "branch '" + branch + "'" : "refspec '" + refspec + "'";
                if (pushToBranch && notBlank(refspec)) {
                    where += " and refspec '" + refspec + "'";
                }
                String pushed = "pushed commit '" + commit.substring(0, 7) + "' to " + where;
                events.normal(auto, "Succeeded", "committed and " + pushed + "\n" + message, Map.of("revision", revision(branch, commit)));
                conditions.markReady(Conditions.SUCCEEDED, pushed);
                return requeue().afterSuccess(key, interval);
            }
        } catch (GitException e) {
            if (e.reason().equals(INVALID_SOURCE_CONFIGURATION) || e.reason().equals("InvalidPath")) {
                conditions.markStalled(e.reason(), e.getMessage());
                return null;
            }
            conditions.markFailedWithRetry(e.reason(), e.getMessage());
            return requeue().afterFailure(key, interval);
        } catch (IOException e) {
            conditions.markFailedWithRetry(GIT_OPERATION_FAILED, "failed to prepare a working directory: " + e.getMessage());
            return requeue().afterFailure(key, interval);
        } finally {
            deleteTree(work);
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

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debugf("could not delete %s: %s", dir, e.getMessage());
        }
    }

    @Override
    public DeleteControl cleanup(ImageUpdateAutomation auto, Context<ImageUpdateAutomation> context) {
        requeue().forget(ImageKinds.key(auto));
        metrics.recordCondition(auto, List.of(), Conditions.READY, true);
        return DeleteControl.defaultDelete();
    }

    private RequeuePolicy requeue() {
        if (requeue == null) {
            requeue = new RequeuePolicy(jitterPercentage, Duration.ofSeconds(1), Duration.ofMinutes(5));
        }
        return requeue;
    }
}
