package io.currents.cli.ops;

import io.currents.api.meta.ReconcileRequestPatch;
import io.currents.api.meta.FluxMeta;
import io.currents.cli.output.CliException;
import io.currents.cli.output.Progress;
import io.currents.runtime.reconcile.FluxDuration;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Flux's reconcile handshake: write {@code reconcile.fluxcd.io/requestedAt} with the current time, then wait until
 * the controller reports that value in {@code status.lastHandledReconcileAt} and has evaluated Ready for the
 * current generation.
 */
public final class ReconcileRequests {

    /** How often a wait reads the object again. */
    public static final Duration POLL = Duration.ofMillis(500);

    private final KubernetesClient client;
    private final Progress progress;
    private final Clock clock;

    public ReconcileRequests(KubernetesClient client, Progress progress, Clock clock) {
        this.client = client;
        this.progress = progress;
        this.clock = clock;
    }

    /** Annotates the object and returns the token written (an RFC 3339 time with nanoseconds, as flux writes). */
    public String request(FluxKind kind, String namespace, String name) {
        return request(kind, namespace, name, java.util.List.of());
    }

    /**
     * The same, also writing the token to {@code alsoAnnotate} (flux's {@code reconcile.fluxcd.io/forceAt} and
     * {@code resetAt}, which the controller honours only together with a request of the same value).
     */
    public String request(FluxKind kind, String namespace, String name, java.util.List<String> alsoAnnotate) {
        String token = ReconcileRequestPatch.token(Instant.now(clock));
        patch(kind, namespace, name, ReconcileRequestPatch.request(token, alsoAnnotate));
        return token;
    }

    /** Who suspended the object (user and kubeconfig context), written by {@code suspend}. */
    public static final String SUSPENDED_BY = ReconcileRequestPatch.SUSPENDED_BY;
    /** Why, from {@code suspend --reason}. */
    public static final String SUSPENDED_REASON = ReconcileRequestPatch.SUSPENDED_REASON;

    /** Sets spec.suspend (and, when resuming, requests a reconcile at once as flux does); returns the token or null. */
    public String setSuspend(FluxKind kind, String namespace, String name, boolean suspend) {
        return setSuspend(kind, namespace, name, suspend, null, null);
    }

    /**
     * Suspending records who did it and why ({@link #SUSPENDED_BY}, {@link #SUSPENDED_REASON}, read by
     * {@code explain}) when given; resuming removes both.
     */
    public String setSuspend(FluxKind kind, String namespace, String name, boolean suspend, String by, String reason) {
        String token = suspend ? null : ReconcileRequestPatch.token(Instant.now(clock));
        patch(kind, namespace, name, ReconcileRequestPatch.suspend(suspend, by, reason, token));
        return token;
    }

    private void patch(FluxKind kind, String namespace, String name, Map<String, Object> body) {
        client.genericKubernetesResources(kind.context()).inNamespace(namespace).withName(name)
                .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(body));
    }

    /**
     * Waits until the request with this token was handled and Ready is True or False for the current generation.
     * Returns the object as last read; throws when the timeout passes first.
     */
    public GenericKubernetesResource await(FluxKind kind, String namespace, String name, String token, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            GenericKubernetesResource object = FluxObjects.require(client, kind, namespace, name);
            if (handled(object, token)) {
                return object;
            }
            if (System.nanoTime() > deadline) {
                throw CliException.timeout("timed out after " + FluxDuration.format(timeout) + " waiting for " + kind.kind() + " "
                        + namespace + "/" + name + " to be reconciled; check that its controller is running and try a longer --timeout");
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted while waiting for " + kind.kind() + " " + name);
            }
        }
    }

    static boolean handled(GenericKubernetesResource object, String token) {
        Map<String, Object> status = FluxObjects.status(object);
        if (!Objects.equals(token, status.get("lastHandledReconcileAt"))) {
            return false;
        }
        Object observed = status.get("observedGeneration");
        Long generation = object.getMetadata().getGeneration();
        if (generation != null && (!(observed instanceof Number n) || n.longValue() < generation)) {
            return false;
        }
        return FluxObjects.condition(object, FluxMeta.READY_CONDITION)
                .map(c -> "True".equals(c.get("status")) || "False".equals(c.get("status")))
                .orElse(false);
    }

    /** Runs the whole handshake with flux's progress lines; fails when Ready ends False. */
    public GenericKubernetesResource reconcile(FluxKind kind, String namespace, String name, Duration timeout) {
        return reconcile(kind, namespace, name, timeout, java.util.List.of());
    }

    /** The handshake with more annotations of the same token (see {@link #request(FluxKind, String, String, java.util.List)}). */
    public GenericKubernetesResource reconcile(FluxKind kind, String namespace, String name, Duration timeout,
                                               java.util.List<String> alsoAnnotate) {
        GenericKubernetesResource object = FluxObjects.require(client, kind, namespace, name);
        if (FluxObjects.suspended(object)) {
            throw new CliException(kind.kind() + " " + namespace + "/" + name + " is suspended; run 'currents resume "
                    + kind.humanKind() + " " + name + "' first");
        }
        progress.action("annotating " + kind.kind() + " " + name + " in " + namespace + " namespace");
        String token = request(kind, namespace, name, alsoAnnotate);
        progress.success(kind.kind() + " annotated");
        return awaitReady(kind, namespace, name, token, timeout);
    }

    /** Waits for the handshake with flux's progress lines; fails when Ready ends False. */
    public GenericKubernetesResource awaitReady(FluxKind kind, String namespace, String name, String token, Duration timeout) {
        GenericKubernetesResource object = progress.waitFor("waiting for " + kind.kind() + " reconciliation",
                () -> await(kind, namespace, name, token, timeout));
        String[] ready = FluxObjects.readyAndMessage(object);
        if (!"True".equals(ready[0])) {
            throw new CliException(kind.kind() + " reconciliation failed: " + ready[1]);
        }
        progress.success(kind.kind() + " reconciliation completed");
        progress.success(successMessage(kind, object));
        return object;
    }

    /** flux's last line after a successful reconcile of {@code kind}, e.g. {@code fetched revision main@sha1:…}. */
    public static String successMessage(FluxKind kind, GenericKubernetesResource object) {
        Map<String, Object> status = FluxObjects.status(object);
        return switch (kind) {
            case KUSTOMIZATION, HELM_RELEASE -> "applied revision " + FluxObjects.revision(kind, object);
            case IMAGE_REPOSITORY -> "scan fetched " + FluxObjects.string(status, "lastScanResult", "tagCount") + " tags";
            case IMAGE_POLICY -> "selected " + FluxObjects.string(status, "latestRef", "name") + ":"
                    + FluxObjects.string(status, "latestRef", "tag");
            case IMAGE_UPDATE_AUTOMATION -> "last run " + FluxObjects.string(status, "lastAutomationRunTime");
            case RECEIVER -> "webhook path " + FluxObjects.string(status, "webhookPath");
            case ALERT, PROVIDER -> kind.kind() + " is ready";
            default -> "fetched revision " + FluxObjects.revision(kind, object);
        };
    }
}
