package io.currents.kustomization;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** wait and healthChecks: kstatus on the real kube-controller-manager; a 0-replica Deployment is Available, a 1-replica one never is. */
@QuarkusTest
class KustomizationHealthCheckTest {

    static String deployment(String name, String ns, int replicas) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: %s
                  namespace: %s
                spec:
                  replicas: %d
                  selector:
                    matchLabels:
                      app: %s
                  template:
                    metadata:
                      labels:
                        app: %s
                    spec:
                      containers:
                        - name: app
                          image: busybox:1.36
                """.formatted(name, ns, replicas, name, name);
    }

    @Test
    void aZeroReplicaDeploymentIsHealthy() {
        var s = new KustomizationScenario("ks-healthy");
        // The Service's port has no protocol: server-side apply on this API server needs it defaulted first.
        String revision = s.commit("repo", Map.of("deploy.yaml", deployment("idle", s.namespace, 0), "service.yaml", """
                apiVersion: v1
                kind: Service
                metadata:
                  name: idle
                  namespace: %s
                spec:
                  selector:
                    app: idle
                  ports:
                    - port: 80
                """.formatted(s.namespace)));
        s.apply(KustomizationScenario.kustomization("app", "repo", "", "wait: true"));
        var k = s.awaitApplied("app", revision);
        var healthy = KustomizationScenario.condition(k, "Healthy").orElseThrow();
        assertThat(healthy.getStatus()).isEqualTo("True");
        assertThat(healthy.getMessage()).startsWith("Health check passed in");
    }

    @Test
    void aOneReplicaDeploymentIsReportedNotReady() {
        var s = new KustomizationScenario("ks-unhealthy");
        s.commit("repo", Map.of("deploy.yaml", deployment("busy", s.namespace, 1)));
        s.apply(KustomizationScenario.kustomization("app", "repo", "", """
                healthChecks:
                  - apiVersion: apps/v1
                    kind: Deployment
                    name: busy
                """).replace("timeout: 30s", "timeout: 5s"));
        var k = s.awaitNotReady("app", "HealthCheckFailed");
        assertThat(KustomizationScenario.condition(k, "Healthy").orElseThrow().getStatus()).isEqualTo("False");
        assertThat(KustomizationScenario.condition(k, "Ready").orElseThrow().getMessage())
                .contains("Deployment/" + s.namespace + "/busy").contains("timeout waiting for");
        assertThat(k.getStatus().getLastAppliedRevision()).isNull();
        assertThat(s.object("apps/v1", "Deployment", "busy")).isNotNull();
    }

    @Test
    void aNewRevisionCancelsARunningHealthCheck() {
        var s = new KustomizationScenario("ks-cancel");
        String stuck = s.commit("repo", Map.of("deploy.yaml", deployment("busy", s.namespace, 1)));
        s.apply(KustomizationScenario.kustomization("app", "repo", "", "wait: true").replace("timeout: 30s", "timeout: 10m"));
        s.await("app", k -> KustomizationScenario.condition(k, "Healthy").filter(c -> "Unknown".equals(c.getStatus())
                && c.getMessage().contains(stuck)).isPresent());
        long started = System.nanoTime();
        String fixed = s.commit("repo", Map.of("deploy.yaml", deployment("busy", s.namespace, 0)));
        // without the cancellation the wait on the first revision would hold the reconcile for its 10 minutes
        var k = s.await("app", x -> "True".equals(KustomizationScenario.readyStatus(x)) && x.getStatus() != null
                && fixed.equals(x.getStatus().getLastAppliedRevision()), 60);
        assertThat(System.nanoTime() - started).isLessThan(java.time.Duration.ofSeconds(60).toNanos());
        assertThat(KustomizationScenario.condition(k, "Healthy").orElseThrow().getStatus()).isEqualTo("True");
        assertThat(s.events("app")).anyMatch(e -> e.getMessage() != null && e.getMessage().contains("health check canceled")
                && e.getMessage().contains(fixed));
    }

    @Test
    void runsWaitingForHealthDoNotHoldBackTheOthers() {
        var s = new KustomizationScenario("ks-hol");
        String stuck = s.commit("stuck", Map.of("deploy.yaml", deployment("busy", s.namespace, 1)));
        String fine = s.commit("fine", Map.of("deploy.yaml", deployment("idle", s.namespace, 0)));
        // as many health waits as `concurrent` (4 in tests): with each wait holding a thread, the healthy one would wait 40 s
        for (int i = 0; i < 4; i++) {
            s.apply(KustomizationScenario.kustomization("stuck-" + i, "stuck", "", "wait: true").replace("timeout: 30s", "timeout: 40s"));
        }
        for (int i = 0; i < 4; i++) {
            s.await("stuck-" + i, k -> KustomizationScenario.condition(k, "Healthy").filter(c -> "Unknown".equals(c.getStatus())
                    && c.getMessage().contains(stuck)).isPresent());
        }
        s.apply(KustomizationScenario.kustomization("fine", "fine", "", "wait: true"));
        var k = s.await("fine", x -> "True".equals(KustomizationScenario.readyStatus(x)) && x.getStatus() != null
                && fine.equals(x.getStatus().getLastAppliedRevision()), 25);
        assertThat(KustomizationScenario.condition(k, "Healthy").orElseThrow().getStatus()).isEqualTo("True");
    }
}
