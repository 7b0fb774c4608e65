package io.currents.cli.ops.create;

import io.currents.cli.ops.ClusterCommand;
import io.currents.cli.ops.FluxKind;
import io.currents.cli.ops.FluxObjects;
import io.currents.cli.ops.ReconcileRequests;
import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import io.currents.cli.output.OutputFormat;
import io.currents.cli.output.Progress;
import io.currents.runtime.reconcile.FluxDuration;
import io.currents.runtime.apply.Unstructured;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.List;

/**
 * What every {@code currents create ...} command shares: the object's name, {@code --export}, {@code --label},
 * {@code --timeout}; building the typed object from the flags, printing it (keys sorted, {@code ---} first, as flux
 * prints it) or server-side applying it after its credentials Secrets, and waiting until a controller reports it Ready.
 */
abstract class CreateCommand extends ClusterCommand {

    /** The field manager of objects applied by {@code currents create}. */
    static final String FIELD_MANAGER = "currents";

    @Parameters(index = "0", paramLabel = "<name>", description = "Name of the object.")
    String name;

    @Mixin
    ExportOption export = new ExportOption();

    @Mixin
    LabelOptions labels = new LabelOptions();

    @Mixin
    TimeoutOption timeout = new TimeoutOption();

    Progress progress;

    private final FluxKind kind;
    private final String subject;
    private final boolean waitForReady;

    /**
     * @param kind the kind created, or null for plain Kubernetes objects (Secrets)
     * @param subject words of flux's progress lines, e.g. "GitRepository source"
     * @param waitForReady whether to wait for Ready after applying (the kinds a controller reconciles in this release)
     */
    CreateCommand(FluxKind kind, String subject, boolean waitForReady) {
        this.kind = kind;
        this.subject = subject;
        this.waitForReady = waitForReady;
    }

    /** A kind named by its kind in progress lines, not waited for. */
    CreateCommand(FluxKind kind) {
        this(kind, kind.kind(), false);
    }

    /** The object the flags describe. */
    abstract HasMetadata object();

    /** Objects to apply before the main one (credentials Secrets); never exported. */
    List<Secret> prerequisites() {
        return List.of();
    }

    boolean waitForReady() {
        return waitForReady;
    }

    /** The metadata of an object called {@code objectName} in the command's namespace, with the --label labels. */
    ObjectMeta metadata(String objectName) {
        return new ObjectMetaBuilder().withName(objectName).withNamespace(kube.namespace()).withLabels(labels.parsed()).build();
    }

    /** {@code resource} named after the command's argument, with {@code spec}. */
    <R extends CustomResource<S, ?>, S> R flux(R resource, S spec) {
        resource.setMetadata(metadata(name));
        resource.setSpec(spec);
        return resource;
    }

    @Override
    public Integer call() {
        progress = newProgress();
        HasMetadata object = object();
        if (export.export) {
            printExport(object);
            return ExitCodes.OK;
        }
        applyToCluster(object);
        return ExitCodes.OK;
    }

    /** Applies the object after its prerequisites, and waits for Ready when the kind is waited for. */
    void applyToCluster(HasMetadata object) {
        KubernetesClient client = kube.client();
        progress.generated("generating " + subject);
        for (Secret prerequisite : prerequisites()) {
            progress.action("applying secret with repository credentials");
            apply(client, prerequisite);
            progress.success("authentication configured");
        }
        progress.action("applying " + subject);
        GenericKubernetesResource applied = apply(client, object);
        progress.success(subject + " created");
        if (waitForReady()) {
            GenericKubernetesResource ready = progress.waitFor("waiting for " + subject + " reconciliation",
                    () -> awaitReady(client, applied, timeout.timeout));
            progress.success(subject + " " + name + " is ready");
            progress.success(ReconcileRequests.successMessage(kind, ready));
        }
    }

    /** What --export prints instead of applying: the object as YAML. */
    void printExport(HasMetadata object) {
        print(OutputFormat.yaml.render(Unstructured.toMap(object)));
    }

    static GenericKubernetesResource apply(KubernetesClient client, HasMetadata object) {
        GenericKubernetesResource resource = Unstructured.copy(object);
        try {
            var resources = client.genericKubernetesResources(resource.getApiVersion(), resource.getKind());
            String namespace = resource.getMetadata().getNamespace();
            // cluster-scoped objects (a tenant's Namespace) have no namespace
            var target = namespace == null ? resources.resource(resource) : resources.inNamespace(namespace).resource(resource);
            return target.fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
        } catch (KubernetesClientException e) {
            String reason = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
            throw new CliException(resource.getKind() + " " + resource.getMetadata().getName() + " was refused by the API server: "
                    + reason, ExitCodes.FAILURE, e);
        }
    }

    private GenericKubernetesResource awaitReady(KubernetesClient client, GenericKubernetesResource applied, Duration limit) {
        long generation = applied.getMetadata().getGeneration() == null ? 1 : applied.getMetadata().getGeneration();
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            GenericKubernetesResource current = FluxObjects.require(client, kind, kube.namespace(), name);
            Object observed = FluxObjects.status(current).get("observedGeneration");
            var ready = FluxObjects.condition(current, "Ready");
            if (observed instanceof Number n && n.longValue() >= generation && ready.isPresent()) {
                Object status = ready.get().get("status");
                if ("True".equals(status)) {
                    return current;
                }
                if ("False".equals(status) && FluxObjects.condition(current, "Stalled").isPresent()) {
                    throw new CliException(subject + " reconciliation failed: " + ready.get().get("message"));
                }
            }
            if (System.nanoTime() > deadline) {
                String message = ready.map(c -> String.valueOf(c.get("message"))).orElse("no status yet");
                throw CliException.timeout("timed out after " + FluxDuration.format(limit) + " waiting for " + subject + " " + name
                        + " to be ready (" + message + "); check its controller and 'currents events --for " + kind.kind()
                        + "/" + name + "'");
            }
            try {
                Thread.sleep(ReconcileRequests.POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted while waiting for " + subject + " " + name);
            }
        }
    }
}
