package io.currents.cli.bootstrap;

import io.currents.cli.output.CliException;
import io.currents.cli.output.Progress;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Waits for a toolkit object to report {@code Ready=True} for its current generation, as flux's bootstrap does. */
final class SyncWait {

    private final KubernetesClient client;
    private final Progress progress;

    SyncWait(KubernetesClient client, Progress progress) {
        this.client = client;
        this.progress = progress;
    }

    /** Returns when Ready; otherwise fails after {@code timeout} with the last status and the controller to look at. */
    void untilReady(String apiVersion, String kind, String namespace, String name, Duration timeout, String controller) {
        String subject = kind + " \"" + namespace + "/" + name + "\"";
        String[] last = {null};
        boolean ready = progress.waitFor("waiting for " + subject + " to be reconciled", () -> {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                GenericKubernetesResource obj = client.genericKubernetesResources(apiVersion, kind).inNamespace(namespace).withName(name).get();
                Readiness r = readiness(obj);
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
            throw CliException.timeout(subject + " was not reconciled within " + io.currents.runtime.FluxDuration.format(timeout) + " (" + last[0] + "); "
                    + "the manifests are in Git and applied, so the cluster syncs once " + controller + " runs: check it with 'currents check'");
        }
        progress.success(kind + " reconciled successfully");
    }

    private record Readiness(boolean ready, String message) {
    }

    @SuppressWarnings("unchecked")
    private static Readiness readiness(GenericKubernetesResource obj) {
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
        for (Object c : list) {
            Map<String, Object> condition = (Map<String, Object>) c;
            if ("Ready".equals(condition.get("type"))) {
                boolean current = generation == null || (observed instanceof Number n && n.longValue() >= generation);
                boolean isTrue = "True".equals(condition.get("status"));
                String message = "Ready=" + condition.get("status") + ", " + condition.get("reason") + ": " + condition.get("message");
                return new Readiness(isTrue && current, current ? message : "status is for an older generation; " + message);
            }
        }
        return new Readiness(false, "no Ready condition yet");
    }
}
