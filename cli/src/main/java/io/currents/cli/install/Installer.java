package io.currents.cli.install;

import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import io.currents.cli.output.Progress;
import io.currents.runtime.reconcile.FluxDuration;
import io.currents.runtime.apply.ApplyException;
import io.currents.runtime.apply.ApplyOptions;
import io.currents.runtime.apply.ChangeSet;
import io.currents.runtime.apply.ServerSideApplier;
import io.currents.runtime.apply.Unstructured;
import io.currents.runtime.health.HealthCheck;
import io.currents.runtime.health.ObjectStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Applies install manifests server-side (definitions first, as Flux does) and waits for the controllers. */
public final class Installer {

    /** The field manager of objects the CLI applies. */
    public static final String FIELD_MANAGER = "currents";

    private final KubernetesClient client;
    private final Progress progress;
    private final PrintWriter out;

    public Installer(KubernetesClient client, Progress progress, PrintWriter out) {
        this.client = client;
        this.progress = progress;
        this.out = out;
    }

    /** Applies the objects; prints one line per object ({@code Deployment/ns/name created}). */
    public ChangeSet apply(List<Map<String, Object>> objects, Duration timeout) {
        ServerSideApplier applier = new ServerSideApplier(client, FIELD_MANAGER);
        ApplyOptions options = ApplyOptions.kustomizeController(FIELD_MANAGER).withWait(Duration.ofSeconds(1), timeout);
        ChangeSet changes;
        try {
            changes = applier.applyAllStaged(Unstructured.fromMaps(objects), options);
        } catch (ApplyException e) {
            throw new CliException("applying the manifests failed: " + e.getMessage(), ExitCodes.FAILURE, e);
        }
        changes.entries().forEach(e -> out.println(e));
        out.flush();
        return changes;
    }

    /**
     * Waits until the components' Deployments are Available; fails with a timeout naming the ones that are not, or at
     * once when a controller's pod cannot pull its image (the kubelet would retry forever without a push or another
     * {@code --registry}).
     */
    public void waitForControllers(String namespace, List<Component> components, Duration timeout) {
        List<HasMetadata> deployments = new ArrayList<>();
        for (Component c : components) {
            deployments.add(deployment(namespace, c.id()));
        }
        HealthCheck health = new HealthCheck(client);
        Outcome outcome = progress.waitFor("verifying installation", () -> poll(health, namespace, components, deployments, timeout));
        for (Component c : components) {
            var status = outcome.statuses().get(HealthCheck.subject(deployment(namespace, c.id())));
            List<ImagePulls.Failure> pulls = outcome.pullFailures().getOrDefault(c.id(), List.of());
            if (status != null && status.isCurrent()) {
                progress.success(c.id() + ": deployment ready");
            } else if (!pulls.isEmpty()) {
                progress.failure(c.id() + ": " + pulls.get(0).describe());
            } else {
                progress.failure(c.id() + ": deployment not ready" + (status == null ? "" : " (" + status.message() + ")"));
            }
        }
        if (!outcome.pullFailures().isEmpty()) {
            throw new CliException("the controllers' images cannot be pulled; " + ImagePulls.advice(), ExitCodes.FAILURE);
        }
        if (!outcome.healthy()) {
            throw CliException.timeout("the controllers did not become ready within " + FluxDuration.format(timeout) + "; look at their pods with"
                    + " 'kubectl -n " + namespace + " get pods' (images must be pullable from the --registry)");
        }
    }

    /** The last statuses seen, whether all became Current, and the image pull failures by component. */
    private record Outcome(Map<String, ObjectStatus> statuses, boolean healthy, Map<String, List<ImagePulls.Failure>> pullFailures) {
    }

    private Outcome poll(HealthCheck health, String namespace, List<Component> components, List<HasMetadata> deployments,
                         Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<String, ObjectStatus> statuses = health.check(deployments);
            if (statuses.values().stream().allMatch(ObjectStatus::isCurrent)) {
                return new Outcome(statuses, true, Map.of());
            }
            Map<String, List<ImagePulls.Failure>> pulls = new LinkedHashMap<>();
            for (Component c : components) {
                List<ImagePulls.Failure> failures = ImagePulls.of(client, namespace, c.id());
                if (!failures.isEmpty()) {
                    pulls.put(c.id(), failures);
                }
            }
            if (!pulls.isEmpty() || System.nanoTime() >= deadline) {
                return new Outcome(statuses, false, pulls);
            }
            try {
                Thread.sleep(Math.max(1, Math.min(1000, (deadline - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome(statuses, false, pulls);
            }
        }
    }

    static GenericKubernetesResource deployment(String namespace, String name) {
        return new GenericKubernetesResourceBuilder().withApiVersion("apps/v1").withKind("Deployment")
                .withNewMetadata().withNamespace(namespace).withName(name).endMetadata().build();
    }
}
