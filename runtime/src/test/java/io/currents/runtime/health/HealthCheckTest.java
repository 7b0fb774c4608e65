package io.currents.runtime.health;

import io.currents.runtime.apply.ApplyOptions;
import io.currents.runtime.apply.ServerSideApplier;
import io.currents.testkit.ControlPlane;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("cluster")
class HealthCheckTest {

    private static GenericKubernetesResource deployment(String ns, String name, int replicas) {
        return Serialization.unmarshal("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %s, namespace: %s}
                spec:
                  replicas: %d
                  selector: {matchLabels: {app: %s}}
                  template:
                    metadata: {labels: {app: %s}}
                    spec:
                      containers: [{name: app, image: busybox:1.36}]
                """.formatted(name, ns, replicas, name, name), GenericKubernetesResource.class);
    }

    @Test
    void aDeploymentWithoutReplicasBecomesCurrentAndOneWithPodsIsReportedNotReady() {
        ControlPlane plane = ControlPlane.shared();
        String ns = plane.createNamespace("health");
        var idle = deployment(ns, "idle", 0);
        var busy = deployment(ns, "busy", 1);
        new ServerSideApplier(plane.client(), "kustomize-controller")
                .applyAll(List.of(idle, busy), ApplyOptions.kustomizeController("kustomize-controller"));
        var check = new HealthCheck(plane.client());

        HealthCheck.Report idleReport = check.waitFor(List.of(idle), Duration.ofMillis(500), Duration.ofSeconds(60));
        assertThat(idleReport.healthy()).as(idleReport.message()).isTrue();

        HealthCheck.Report both = check.waitFor(List.of(idle, busy), Duration.ofMillis(500), Duration.ofSeconds(5));
        assertThat(both.healthy()).isFalse();
        assertThat(both.notReady()).containsExactly("Deployment/" + ns + "/busy");
        assertThat(both.message()).startsWith("timeout waiting for: [Deployment/" + ns + "/busy status: 'InProgress'");
    }

    @Test
    void aMissingObjectIsReportedNotFound() {
        ControlPlane plane = ControlPlane.shared();
        String ns = plane.createNamespace("health-missing");
        HealthCheck.Report report = new HealthCheck(plane.client())
                .waitFor(List.of(deployment(ns, "ghost", 0)), Duration.ofMillis(200), Duration.ofMillis(500));
        assertThat(report.message()).isEqualTo("timeout waiting for: [Deployment/" + ns + "/ghost status: 'NotFound': Resource not found]");
    }
}
