package io.currents.runtime.health;

import io.currents.api.meta.CustomHealthCheck;
import io.currents.runtime.apply.ApplyOptions;
import io.currents.runtime.apply.ServerSideApplier;
import io.currents.runtime.cel.CelException;
import io.currents.testkit.ControlPlane;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** healthCheckExprs decide the health of the kinds they name on a real API server, in Flux's order. */
@org.junit.jupiter.api.Tag(io.currents.testkit.UnitTests.CLUSTER_TAG)
class CustomHealthCheckExpressionsTest {

    private static final String GROUP = "health" + Long.toString(System.nanoTime(), 36) + ".example.com";
    private static ControlPlane plane;

    @BeforeAll
    static void certificateKind() {
        plane = ControlPlane.shared();
        GenericKubernetesResource crd = yaml("""
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: certificates.%1$s}
                spec:
                  group: %1$s
                  scope: Namespaced
                  names: {plural: certificates, singular: certificate, kind: Certificate}
                  versions:
                    - name: v1
                      served: true
                      storage: true
                      subresources: {status: {}}
                      schema:
                        openAPIV3Schema:
                          type: object
                          properties:
                            spec: {type: object, x-kubernetes-preserve-unknown-fields: true}
                            status: {type: object, x-kubernetes-preserve-unknown-fields: true}
                """.formatted(GROUP));
        new ServerSideApplier(plane.client(), "test").applyAllStaged(List.of(crd), ApplyOptions.kustomizeController("test"));
    }

    @Test
    void theExpressionsOfAKindDecideCurrentFailedAndInProgress() throws Exception {
        String ns = plane.createNamespace("cel-health");
        CustomHealthChecks checks = CustomHealthChecks.of(List.of(check("Certificate",
                "status.conditions.filter(e, e.type == 'Ready').all(e, e.status == 'True')",
                "status.conditions.filter(e, e.type == 'Ready').all(e, e.status == 'False')")));
        GenericKubernetesResource cert = certificate(ns, "web");
        HealthCheck health = new HealthCheck(plane.client(), checks);

        setStatus(ns, "web", Map.of("conditions", List.of(Map.of("type", "Ready", "status", "Unknown"))));
        assertThat(health.check(List.of(cert)).values()).singleElement().extracting(ObjectStatus::status).isEqualTo(Status.IN_PROGRESS);

        setStatus(ns, "web", Map.of("conditions", List.of(Map.of("type", "Ready", "status", "False"))));
        HealthCheck.Report failed = health.waitFor(List.of(cert), Duration.ofMillis(100), Duration.ofSeconds(10));
        assertThat(failed.message()).isEqualTo("failed early due to stalled resources: [Certificate/" + ns
                + "/web status: 'Failed': failed expression is true]");

        setStatus(ns, "web", Map.of("conditions", List.of(Map.of("type", "Ready", "status", "True"))));
        assertThat(health.waitFor(List.of(cert), Duration.ofMillis(100), Duration.ofSeconds(10)).healthy()).isTrue();
        assertThat(new HealthCheck(plane.client()).check(List.of(cert)).values()).singleElement()
                .as("kstatus' own rules read the same Ready condition").extracting(ObjectStatus::status).isEqualTo(Status.CURRENT);
    }

    @Test
    void anObservedGenerationBehindTheGenerationIsInProgressWhateverTheExpressionsSay() throws Exception {
        String ns = plane.createNamespace("cel-generation");
        CustomHealthChecks checks = CustomHealthChecks.of(List.of(check(null, "true", null)));
        GenericKubernetesResource cert = certificate(ns, "api");
        setStatus(ns, "api", Map.of("observedGeneration", 0));
        ObjectStatus status = new HealthCheck(plane.client(), checks).check(List.of(cert)).values().iterator().next();
        assertThat(status.status()).isEqualTo(Status.IN_PROGRESS);
        assertThat(status.message()).isEqualTo("Certificate generation is 1, but latest observed generation is 0");
    }

    @Test
    void anExpressionThatCannotBeEvaluatedLeavesTheObjectUnknownWithTheReason() throws Exception {
        String ns = plane.createNamespace("cel-error");
        CustomHealthChecks checks = CustomHealthChecks.of(List.of(check("Certificate", "status.phase == 'Issued'", null)));
        GenericKubernetesResource cert = certificate(ns, "db");
        setStatus(ns, "db", Map.of("conditions", List.of()));
        HealthCheck.Report report = new HealthCheck(plane.client(), checks).waitFor(List.of(cert), Duration.ofMillis(100),
                Duration.ofMillis(500));
        assertThat(report.message()).startsWith("timeout waiting for: [Certificate/" + ns + "/db status: 'Unknown': "
                + "failed to evaluate the CEL expression 'status.phase == 'Issued''");
    }

    @Test
    void invalidChecksAreRefusedWithTheirIndex() {
        assertThatThrownBy(() -> CustomHealthChecks.of(List.of(check("Certificate", "true", null), check("Certificate", "false", null))))
                .isInstanceOf(CelException.class).hasMessage("duplicate custom health check for GroupKind Certificate." + GROUP
                        + " at healthchecks[1]");
        assertThatThrownBy(() -> CustomHealthChecks.of(List.of(check("Certificate", "status.(", null))))
                .hasMessageStartingWith("failed to create custom status evaluator for healthchecks[0]: failed to parse the CEL expression");
    }

    private static CustomHealthCheck check(String kind, String current, String failed) {
        CustomHealthCheck check = new CustomHealthCheck();
        check.setApiVersion(GROUP + "/v1");
        check.setKind(kind);
        check.setCurrent(current);
        check.setFailed(failed);
        return check;
    }

    private static GenericKubernetesResource certificate(String ns, String name) {
        GenericKubernetesResource cert = yaml("""
                apiVersion: %s/v1
                kind: Certificate
                metadata: {name: %s, namespace: %s}
                spec: {dnsNames: [example.com]}
                """.formatted(GROUP, name, ns));
        plane.client().resource(cert).create();
        return cert;
    }

    private static void setStatus(String ns, String name, Map<String, Object> status) {
        var resource = plane.client().genericKubernetesResources(GROUP + "/v1", "Certificate").inNamespace(ns).withName(name);
        GenericKubernetesResource live = resource.get();
        live.setAdditionalProperty("status", status);
        resource.updateStatus(live);
    }

    private static GenericKubernetesResource yaml(String text) {
        return Serialization.unmarshal(text, GenericKubernetesResource.class);
    }
}
