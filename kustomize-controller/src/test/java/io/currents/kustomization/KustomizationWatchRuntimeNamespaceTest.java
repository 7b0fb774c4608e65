package io.currents.kustomization;

import io.currents.api.kustomize.v1.Kustomization;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.config.EnvConfigSource;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code install --watch-all-namespaces=false}: with the environment the generated Deployment sets, the controller reconciles
 * the Kustomizations of its own namespace only; one in another namespace gets no finalizer, no status, nothing applied.
 */
@QuarkusTest
@TestProfile(RuntimeNamespaceProfile.class)
class KustomizationWatchRuntimeNamespaceTest {

    @Test
    void theDeploymentEnvironmentIsTheGlobalNamespacesSetting() {
        // the variable the CLI puts on each Deployment (InstallFlagsTest checks it is there) is read as the property the
        // profile sets, by Quarkus' environment variable mapping
        var env = new EnvConfigSource(Map.of(RuntimeNamespaceProfile.ENV, RuntimeNamespaceProfile.RUNTIME_NAMESPACE), 300);
        assertThat(env.getValue(RuntimeNamespaceProfile.PROPERTY)).isEqualTo(RuntimeNamespaceProfile.RUNTIME_NAMESPACE);
    }

    @Test
    void onlyTheKustomizationsOfTheRuntimeNamespaceAreReconciled() {
        var elsewhere = new KustomizationScenario("ks-not-watched");
        elsewhere.commit("repo", Map.of("cm.yaml", KustomizationScenario.configMap("outside", elsewhere.namespace, Map.of("a", "1"))));
        // the one the controller must leave alone first: by the time its own is Ready, it has had the chance to see it
        elsewhere.apply(KustomizationScenario.kustomization("outside", "repo", "", null));

        var own = KustomizationScenario.inNamespace(RuntimeNamespaceProfile.RUNTIME_NAMESPACE);
        own.commit("repo", Map.of("cm.yaml", KustomizationScenario.configMap("inside", own.namespace, Map.of("a", "1"))));
        own.apply(KustomizationScenario.kustomization("inside", "repo", "", null));

        Kustomization inside = own.await("inside", k -> "True".equals(KustomizationScenario.readyStatus(k)));
        assertThat(inside.getMetadata().getFinalizers()).contains("finalizers.fluxcd.io");
        assertThat(own.object("v1", "ConfigMap", "inside")).isNotNull();

        Kustomization outside = elsewhere.get("outside");
        assertThat(outside.getStatus() == null || outside.getStatus().getConditions() == null
                || outside.getStatus().getConditions().isEmpty()).as("no status written outside the runtime namespace").isTrue();
        assertThat(outside.getMetadata().getFinalizers()).as("no finalizer outside the runtime namespace").isNullOrEmpty();
        assertThat(elsewhere.object("v1", "ConfigMap", "outside")).as("nothing applied outside the runtime namespace").isNull();
    }
}
