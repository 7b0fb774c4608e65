package io.currents.kustomization;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Immutable fields: without force the change is refused with a clear message; with force the object is recreated. */
@QuarkusTest
class KustomizationForceTest {

    static String job(String ns, String image) {
        return """
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: migrate
                  namespace: %s
                spec:
                  template:
                    spec:
                      restartPolicy: Never
                      containers:
                        - name: migrate
                          image: %s
                """.formatted(ns, image);
    }

    @Test
    void forceRecreatesAJobWhoseTemplateChanged() {
        var s = new KustomizationScenario("ks-force");
        String first = s.commit("repo", Map.of("job.yaml", job(s.namespace, "busybox:1.36")));
        s.apply(KustomizationScenario.kustomization("app", "repo", "", null));
        s.awaitApplied("app", first);
        String uid = s.object("batch/v1", "Job", "migrate").getMetadata().getUid();

        s.commit("repo", Map.of("job.yaml", job(s.namespace, "busybox:1.37")));
        var refused = s.awaitNotReady("app", "ReconciliationFailed");
        assertThat(KustomizationScenario.condition(refused, "Ready").orElseThrow().getMessage())
                .contains("Job/" + s.namespace + "/migrate").contains("immutable").contains("force");

        s.client.resources(io.currents.api.kustomize.v1.Kustomization.class).inNamespace(s.namespace).withName("app").edit(k -> {
            k.getSpec().setForce(true);
            return k;
        });
        var k = s.await("app", x -> "True".equals(KustomizationScenario.readyStatus(x))
                && x.getMetadata().getGeneration().equals(x.getStatus().getObservedGeneration()));
        var recreated = s.object("batch/v1", "Job", "migrate");
        assertThat(recreated.getMetadata().getUid()).isNotEqualTo(uid);
        assertThat(String.valueOf(recreated.getAdditionalProperties().get("spec"))).contains("busybox:1.37");
        assertThat(k.getStatus().getLastAppliedRevision()).isEqualTo(k.getStatus().getLastAttemptedRevision());
    }
}
