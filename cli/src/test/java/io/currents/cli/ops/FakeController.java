package io.currents.cli.ops;

import io.currents.api.meta.FluxMeta;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A test thread that answers reconcile requests on the real API server the way a Flux controller does: when
 * {@code reconcile.fluxcd.io/requestedAt} differs from {@code status.lastHandledReconcileAt}, it writes the new
 * value, the observed generation and a Ready condition. Stands in for the controllers, which the CLI tests do not
 * run (the e2e module runs the real ones).
 */
final class FakeController implements AutoCloseable {

    private final Thread thread;
    private volatile boolean running = true;

    FakeController(FluxKind kind, String namespace, String name, boolean ready, String message, Map<String, Object> extraStatus) {
        thread = new Thread(() -> {
            while (running) {
                try {
                    GenericKubernetesResource object = Cluster.get(kind, namespace, name);
                    if (object != null) {
                        Map<String, String> annotations = object.getMetadata().getAnnotations();
                        String requested = annotations == null ? null : annotations.get(FluxMeta.RECONCILE_REQUEST_ANNOTATION);
                        Object handled = FluxObjects.status(object).get("lastHandledReconcileAt");
                        boolean generationChanged = !Objects.equals(
                                FluxObjects.status(object).get("observedGeneration") instanceof Number n ? n.longValue() : null,
                                object.getMetadata().getGeneration());
                        if ((requested != null && !requested.equals(handled)) || generationChanged) {
                            long generation = object.getMetadata().getGeneration();
                            Cluster.status(kind, namespace, name, status -> {
                                if (requested != null) {
                                    status.put("lastHandledReconcileAt", requested);
                                }
                                status.put("observedGeneration", generation);
                                status.put("conditions", List.of(Cluster.ready(ready ? "True" : "False",
                                        ready ? "ReconciliationSucceeded" : "ReconciliationFailed", message, "2026-11-23T10:00:00Z")));
                                status.putAll(extraStatus);
                            });
                        }
                    }
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // the object may be mid-update; try again on the next round
                }
            }
        }, "fake-" + kind.kind());
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5000);
    }
}
