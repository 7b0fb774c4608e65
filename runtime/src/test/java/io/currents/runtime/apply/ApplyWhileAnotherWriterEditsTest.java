package io.currents.runtime.apply;

import io.currents.testkit.ControlPlane;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Another writer edits a field the set does not declare (an annotation, as the Deployment controller's revision or an
 * HPA's scale) while the set is applied again and again: the dry-run and the read of the live object are two requests,
 * and a comparison of two different versions would report "configured" (and write) for an object nobody changed in Git.
 */
@Tag("cluster")
class ApplyWhileAnotherWriterEditsTest {

    @Test
    void anEditOfAnUndeclaredFieldBetweenTheDryRunAndTheReadIsNotADrift() throws Exception {
        ControlPlane plane = ControlPlane.shared();
        String ns = plane.createNamespace("apply-other-writer");
        var applier = new ServerSideApplier(plane.client(), "kustomize-controller");
        var options = ApplyOptions.kustomizeController("kustomize-controller");
        var objects = Manifests.list(Manifests.configMap(ns, "settings", "color", "blue"));
        assertThat(applier.applyAllStaged(objects, options).toString()).isEqualTo("ConfigMap/" + ns + "/settings created");

        List<String> results = whileAnotherWriterEdits(plane, ns, () -> applier.applyAllStaged(objects, options).toString());
        assertThat(results).containsOnly("ConfigMap/" + ns + "/settings unchanged");
    }

    /** The same race in a dry-run alone (currents diff, helm-controller's drift detection): read first, then dry-run. */
    @Test
    void anEditOfAnUndeclaredFieldBetweenTheReadAndTheDryRunIsNotADrift() throws Exception {
        ControlPlane plane = ControlPlane.shared();
        String ns = plane.createNamespace("dry-run-other-writer");
        var applier = new ServerSideApplier(plane.client(), "helm-controller");
        var options = ApplyOptions.kustomizeController("helm-controller");
        var object = Manifests.configMap(ns, "settings", "color", "blue");
        applier.applyAllStaged(Manifests.list(object), options);

        List<String> results = whileAnotherWriterEdits(plane, ns, () -> applier.dryRun(object, options).action().toString());
        assertThat(results).containsOnly(Action.UNCHANGED.toString());

        plane.client().configMaps().inNamespace(ns).withName("settings").edit(cm -> {
            cm.setData(Map.of("color", "red"));
            return cm;
        });
        assertThat(applier.dryRun(object, options).action()).as("a real drift is still found").isEqualTo(Action.CONFIGURED);
    }

    /**
     * Runs {@code round} at least 40 times while another writer annotates ConfigMap settings every 15 ms, at least 100
     * times (60 s at most), and returns what the rounds answered.
     */
    private static List<String> whileAnotherWriterEdits(ControlPlane plane, String ns, Callable<String> round) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger edits = new AtomicInteger();
        Thread writer = new Thread(() -> {
            while (!stop.get()) {
                plane.client().configMaps().inNamespace(ns).withName("settings")
                        .edit(cm -> {
                            cm.getMetadata().setAnnotations(Map.of("other-writer/edit", String.valueOf(edits.incrementAndGet())));
                            return cm;
                        });
                try {
                    Thread.sleep(15);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "other-writer");
        writer.start();
        List<String> results = new ArrayList<>();
        try {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while ((results.size() < 40 || edits.get() < 100) && System.nanoTime() < deadline) {
                results.add(round.call());
            }
        } finally {
            stop.set(true);
            writer.join();
        }
        assertThat(edits.get()).as("the other writer edited the object meanwhile").isGreaterThanOrEqualTo(100);
        return results;
    }
}
