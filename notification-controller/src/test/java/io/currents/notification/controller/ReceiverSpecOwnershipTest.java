package io.currents.notification.controller;

import io.currents.api.notification.v1.Receiver;
import io.currents.runtime.reconcile.Conditions;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * notification-controller writes a Receiver's status only: whoever applies the Receiver server-side keeps sole
 * ownership of its spec and can change it later without a field-manager conflict.
 */
@QuarkusTest
@QuarkusTestResource(value = NotificationControllerTestResource.class, restrictToAnnotatedClass = false)
class ReceiverSpecOwnershipTest {

    @Inject
    NotificationObjects objects;

    @Test
    void aPersonApplyingTheSpecAgainAfterAReconcileMeetsNoConflict() {
        NotificationScenario s = new NotificationScenario("receiver-owner", objects);
        s.secret("webhook-token", Map.of("token", "secret-token"));
        applyAsPerson(s, "10m");
        NotificationScenario.await(() -> {
            Receiver r = s.client.resources(Receiver.class).inNamespace(s.namespace).withName("hooks").get();
            return r.getStatus() != null && Conditions.isTrue(r.getStatus().getConditions(), Conditions.READY);
        }, "receiver hooks Ready");

        Receiver r = s.client.resources(Receiver.class).inNamespace(s.namespace).withName("hooks").get();
        assertThat(r.getMetadata().getManagedFields())
                .filteredOn(e -> !"person".equals(e.getManager()))
                .extracting(ManagedFieldsEntry::getFieldsV1)
                .noneMatch(fields -> fields != null && fields.getAdditionalProperties().containsKey("f:spec"));

        // Without force: a field the controller co-owned would make this fail with 409 Conflict.
        applyAsPerson(s, "5m");
        assertThat(s.client.resources(Receiver.class).inNamespace(s.namespace).withName("hooks").get().getSpec().getInterval())
                .isEqualTo("5m");
    }

    private static void applyAsPerson(NotificationScenario s, String interval) {
        String yaml = """
                apiVersion: notification.toolkit.fluxcd.io/v1
                kind: Receiver
                metadata:
                  name: hooks
                  namespace: %s
                spec:
                  type: generic
                  interval: %s
                  secretRef:
                    name: webhook-token
                  resources:
                    - kind: GitRepository
                      name: fleet
                """.formatted(s.namespace, interval);
        Receiver receiver = s.client.getKubernetesSerialization().unmarshal(yaml, Receiver.class);
        s.client.resource(receiver).fieldManager("person").serverSideApply();
    }
}
