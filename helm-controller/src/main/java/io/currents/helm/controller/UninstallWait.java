package io.currents.helm.controller;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Waits after an uninstall until the release's objects are gone (Helm's {@code uninstall --wait}, which helm-java does
 * not expose; Flux waits unless {@code uninstall.disableWait}), up to {@code uninstall.timeout}.
 */
final class UninstallWait {

    private UninstallWait() {
    }

    /** Returns normally once every object is gone; otherwise a failure naming what is still there after the timeout. */
    static void awaitDeleted(KubernetesClient client, List<GenericKubernetesResource> objects, Duration timeout)
            throws HelmActions.HelmFailure {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<GenericKubernetesResource> remaining = new ArrayList<>(objects);
        while (true) {
            remaining.removeIf(o -> gone(client, o));
            if (remaining.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                GenericKubernetesResource first = remaining.getFirst();
                throw new HelmActions.HelmFailure("uninstallation completed with 1 error(s): timed out waiting for the condition: "
                        + remaining.size() + " object(s) not deleted, e.g. " + first.getKind() + "/"
                        + (first.getMetadata().getNamespace() == null ? "" : first.getMetadata().getNamespace() + "/")
                        + first.getMetadata().getName(), null);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HelmActions.HelmFailure("interrupted while waiting for the release's objects to be deleted", e);
            }
        }
    }

    private static boolean gone(KubernetesClient client, GenericKubernetesResource object) {
        try {
            return client.genericKubernetesResources(object.getApiVersion(), object.getKind())
                    .inNamespace(object.getMetadata().getNamespace()).withName(object.getMetadata().getName()).get() == null;
        } catch (KubernetesClientException e) {
            // A kind the server no longer serves (its CRD went with the release) has nothing left to wait for.
            return e.getCode() == 404;
        }
    }
}
