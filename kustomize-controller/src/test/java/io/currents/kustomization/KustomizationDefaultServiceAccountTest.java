package io.currents.kustomization;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code default-service-account=tenant-deployer}, a Kustomization without spec.serviceAccountName applies as that
 * account of its namespace, so the tenant's RBAC (ConfigMaps only here) limits it; an explicit serviceAccountName wins.
 */
@QuarkusTest
@TestProfile(LockdownProfile.class)
class KustomizationDefaultServiceAccountTest {

    @Test
    void aKustomizationWithoutServiceAccountAppliesAsTheDefaultOne() {
        var s = KustomizationScenario.inNamespace(LockdownProfile.TENANT);
        LockdownProfile.grantDefaultServiceAccount(s.client, s.namespace);

        String allowed = s.commit("sa-allowed", Map.of("cm.yaml", KustomizationScenario.configMap("tenant-settings", s.namespace, Map.of("a", "1"))));
        s.apply(KustomizationScenario.kustomization("sa-allowed", "sa-allowed", "", null));
        s.awaitApplied("sa-allowed", allowed);
        assertThat(s.object("v1", "ConfigMap", "tenant-settings")).isNotNull();

        s.commit("sa-denied", Map.of("sa.yaml", """
                apiVersion: v1
                kind: ServiceAccount
                metadata:
                  name: escalated
                  namespace: %s
                """.formatted(s.namespace)));
        s.apply(KustomizationScenario.kustomization("sa-denied", "sa-denied", "", null));
        var k = s.awaitNotReady("sa-denied", "ReconciliationFailed");
        assertThat(KustomizationScenario.condition(k, "Ready").orElseThrow().getMessage())
                .contains("forbidden")
                .contains("system:serviceaccount:" + s.namespace + ":" + LockdownProfile.DEFAULT_SERVICE_ACCOUNT);
        assertThat(s.object("v1", "ServiceAccount", "escalated")).isNull();
    }

    @Test
    void anExplicitServiceAccountNameIsUsedInsteadOfTheDefault() {
        var s = KustomizationScenario.inNamespace(LockdownProfile.TENANT);
        LockdownProfile.grantDefaultServiceAccount(s.client, s.namespace);
        // An account that does not exist: impersonating it is refused, where the default account would have succeeded.
        String revision = s.commit("sa-explicit", Map.of("cm.yaml", KustomizationScenario.configMap("explicit-settings", s.namespace, Map.of("a", "1"))));
        s.apply(KustomizationScenario.kustomization("sa-explicit", "sa-explicit", "", "serviceAccountName: nobody"));
        var k = s.awaitNotReady("sa-explicit", "ReconciliationFailed");
        assertThat(KustomizationScenario.condition(k, "Ready").orElseThrow().getMessage())
                .contains("system:serviceaccount:" + s.namespace + ":nobody");
        assertThat(k.getStatus().getLastAttemptedRevision()).isEqualTo(revision);
        assertThat(s.object("v1", "ConfigMap", "explicit-settings")).isNull();
    }
}
