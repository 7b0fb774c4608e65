package io.currents.notification.controller;

import io.currents.api.notification.v1beta3.Alert;
import io.currents.api.notification.v1beta3.AlertSpec;
import io.currents.api.notification.v1beta3.Provider;
import io.currents.api.notification.v1beta3.ProviderSpec;
import io.currents.runtime.events.FluxEvent;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code spec.commitStatusExpr} computes the commit status identifier from the event, the Alert and the Provider. */
class CommitStatusExpressionTest {

    private static Provider provider(String expression) {
        Provider p = new Provider();
        p.getMetadata().setName("github");
        p.getMetadata().setNamespace("flux-system");
        p.getMetadata().setUid("0c9c2e41-aaaa-bbbb-cccc-000000000001");
        ProviderSpec spec = new ProviderSpec();
        spec.setType("github");
        spec.setCommitStatusExpr(expression);
        p.setSpec(spec);
        return p;
    }

    private static Alert alert() {
        Alert a = new Alert();
        a.getMetadata().setName("status");
        a.getMetadata().setNamespace("flux-system");
        a.setSpec(new AlertSpec());
        return a;
    }

    private static FluxEvent event() {
        return new FluxEvent(new ObjectReferenceBuilder().withKind("Kustomization").withName("Apps").withNamespace("flux-system").build(),
                "info", "2024-01-01T00:00:00Z", "ok", "ReconciliationSucceeded", Map.of("foo", "Bar", "revision", "main@sha1:abc"),
                "kustomize-controller", null);
    }

    @Test
    void theDocumentedExampleExpressionGivesKindNameMetadataAndUidBlock() throws Exception {
        String status = Dispatcher.commitStatus(provider("(event.involvedObject.kind + '/' + event.involvedObject.name + '/' "
                + "+ event.metadata.foo + '/' + provider.metadata.uid.split('-').first().value()).lowerAscii()"), alert(), event());
        assertThat(status).isEqualTo("kustomization/apps/bar/0c9c2e41");
    }

    @Test
    void withoutAnExpressionTheDefaultIsKindNameAndUidBlock() throws Exception {
        assertThat(Dispatcher.commitStatus(provider(null), alert(), event())).isEqualTo("kustomization/apps/0c9c2e41");
    }

    @Test
    void theAlertIsAVariableToo() throws Exception {
        assertThat(Dispatcher.commitStatus(provider("alert.metadata.name + '-' + event.reason"), alert(), event()))
                .isEqualTo("status-ReconciliationSucceeded");
    }

    @Test
    void anExpressionThatIsNotAStringFails() {
        assertThatThrownBy(() -> Dispatcher.commitStatus(provider("1 + 1"), alert(), event()))
                .isInstanceOf(DispatchException.class).hasMessageContaining("output type mismatch");
    }

    @Test
    void aMissingMetadataKeyFailsAtEvaluation() {
        assertThatThrownBy(() -> Dispatcher.commitStatus(provider("event.metadata.nope"), alert(), event()))
                .isInstanceOf(DispatchException.class).hasMessageContaining("spec.commitStatusExpr");
    }
}
