package io.currents.cli.bootstrap;

import io.currents.api.meta.FluxMeta;
import io.currents.cli.output.CliException;
import io.currents.cli.output.Progress;
import io.currents.runtime.reconcile.FluxDuration;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Waits, as flux's bootstrap does, until a source has fetched and a Kustomization has applied a given revision
 * ({@code main@sha1:…}): {@code Ready=True} for the current generation and the revision in status.
 */
final class SyncWait {

    private final KubernetesClient client;
    private final Progress progress;

    SyncWait(KubernetesClient client, Progress progress) {
        this.client = client;
        this.progress = progress;
    }

    /** Sets {@code reconcile.fluxcd.io/requestedAt} so the controller reconciles now rather than at its next interval. */
    void requestReconcile(String apiVersion, String kind, String namespace, String name) {
        String patch = "{\"metadata\":{\"annotations\":{\"" + FluxMeta.RECONCILE_REQUEST_ANNOTATION + "\":\"" + Instant.now() + "\"}}}";
        client.genericKubernetesResources(apiVersion, kind).inNamespace(namespace).withName(name)
                .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    }

    /** Returns when Ready at {@code revision}; otherwise fails after {@code timeout} with the last status and the controller to look at. */
    void untilReady(String apiVersion, String kind, String namespace, String name, String revision, Duration timeout, String controller) {
        String subject = kind + " \"" + namespace + "/" + name + "\"";
        String[] last = {null};
        boolean ready = progress.waitFor("waiting for " + subject + " to be reconciled", () -> {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                GenericKubernetesResource obj = client.genericKubernetesResources(apiVersion, kind).inNamespace(namespace).withName(name).get();
                Readiness r = readiness(obj, revision);
                last[0] = r.message;
                if (r.ready) {
                    return true;
                }
                if (System.nanoTime() >= deadline) {
                    return false;
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        });
        if (!ready) {
            throw CliException.timeout(subject + " was not reconciled within " + FluxDuration.format(timeout) + " (" + last[0] + "); "
                    + "the manifests are in Git and applied, so the cluster syncs once " + controller + " runs: check it with 'currents check'");
        }
        progress.success(kind + " reconciled successfully");
    }

    private record Readiness(boolean ready, String message) {
    }

    @SuppressWarnings("unchecked")
    private static Readiness readiness(GenericKubernetesResource obj, String revision) {
        if (obj == null) {
            return new Readiness(false, "the object does not exist");
        }
        Map<String, Object> status = (Map<String, Object>) obj.getAdditionalProperties().get("status");
        Object conditions = status == null ? null : status.get("conditions");
        if (!(conditions instanceof List<?> list) || list.isEmpty()) {
            return new Readiness(false, "no status yet: no controller has reconciled it");
        }
        Long generation = obj.getMetadata().getGeneration();
        Object observed = status.get("observedGeneration");
        boolean current = generation == null || (observed instanceof Number n && n.longValue() >= generation);
        String seen = revisionOf(status);
        for (Object c : list) {
            Map<String, Object> condition = (Map<String, Object>) c;
            if ("Ready".equals(condition.get("type"))) {
                String message = "Ready=" + condition.get("status") + ", " + condition.get("reason") + ": " + condition.get("message");
                if (!current) {
                    return new Readiness(false, "status is for an older generation; " + message);
                }
                if (!revision.equals(seen)) {
                    return new Readiness(false, "at revision " + (seen == null ? "none" : seen) + ", waiting for " + revision + "; " + message);
                }
                return new Readiness("True".equals(condition.get("status")), message);
            }
        }
        return new Readiness(false, "no Ready condition yet");
    }

    /** The revision a source has fetched ({@code status.artifact.revision}) or a Kustomization applied ({@code status.lastAppliedRevision}). */
    @SuppressWarnings("unchecked")
    private static String revisionOf(Map<String, Object> status) {
        if (status.get("lastAppliedRevision") instanceof String applied) {
            return applied;
        }
        if (status.get("artifact") instanceof Map<?, ?> artifact && artifact.get("revision") instanceof String fetched) {
            return fetched;
        }
        return null;
    }
}
