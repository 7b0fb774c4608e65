package io.currents.kustomization;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** With {@code no-cross-namespace-refs=true} a Kustomization may not use a source of another namespace: it stalls with AccessDenied and applies nothing. */
@QuarkusTest
@TestProfile(LockdownProfile.class)
class KustomizationNoCrossNamespaceRefsTest {

    @Test
    void aSourceInAnotherNamespaceIsRefused() {
        var other = KustomizationScenario.inNamespace(LockdownProfile.OTHER_TENANT);
        var s = KustomizationScenario.inNamespace(LockdownProfile.TENANT);
        other.commit("shared", Map.of("cm.yaml", KustomizationScenario.configMap("borrowed", s.namespace, Map.of("a", "1"))));
        s.apply(KustomizationScenario.kustomization("borrower", "shared", "", null)
                .replace("name: shared", "name: shared\n    namespace: " + other.namespace));

        var k = s.await("borrower", x -> "AccessDenied".equals(KustomizationScenario.condition(x, "Stalled").map(c -> c.getReason()).orElse("")));
        var ready = KustomizationScenario.condition(k, "Ready").orElseThrow();
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo("AccessDenied");
        assertThat(ready.getMessage()).isEqualTo("can't access 'GitRepository/" + other.namespace
                + "/shared', cross-namespace references have been blocked");
        assertThat(KustomizationScenario.condition(k, "Stalled").orElseThrow().getStatus()).isEqualTo("True");
        assertThat(s.object("v1", "ConfigMap", "borrowed")).isNull();
        assertThat(s.events("borrower")).anyMatch(e -> "Warning".equals(e.getType()) && "AccessDenied".equals(e.getReason()));
    }
}
