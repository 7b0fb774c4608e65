package io.currents.notification.controller;

import io.currents.api.notification.v1.Receiver;
import io.currents.api.notification.v1.ReceiverResource;
import io.currents.runtime.reconcile.Conditions;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code spec.resourceFilter} and {@code resources[].filter} (CEL over {@code res} and the JSON body {@code req}) decide
 * which matched objects a call annotates, both having to accept; an expression that does not compile stalls the
 * Receiver with InvalidCELExpression.
 */
@QuarkusTest
@QuarkusTestResource(value = NotificationControllerTestResource.class, restrictToAnnotatedClass = false)
class ReceiverFilterTest {

    @Inject
    NotificationObjects objects;
    @Inject
    ReceiverServer server;

    @Test
    void onlyTheObjectsBothFiltersAcceptAreAnnotated() throws Exception {
        ReceiverScenario r = new ReceiverScenario("filter", objects, server);
        r.repository("frontend", Map.of("team", "web"));
        r.repository("backend", Map.of("team", "web"));
        r.repository("legacy", Map.of("team", "web", "frozen", "true"));
        r.repository("other", Map.of());
        String path = r.receiver("images", Receiver.TYPE_GENERIC, spec -> {
            ReceiverResource web = new ReceiverResource();
            web.setKind("OCIRepository");
            web.setName("*");
            web.setMatchLabels(Map.of("team", "web"));
            web.setFilter("!has(res.metadata.labels.frozen)");
            ReceiverResource other = ReceiverScenario.resource("other");
            spec.setResources(List.of(web, other));
            spec.setResourceFilter("req.image.startsWith('ghcr.io/acme/' + res.metadata.name)");
        });

        assertThat(r.call(path, "{\"image\":\"ghcr.io/acme/frontend:1.2.3\"}", Map.of())).isEqualTo(200);
        assertThat(r.requestedAt("frontend")).isNotNull();
        assertThat(r.requestedAt("backend")).isNull();
        assertThat(r.requestedAt("legacy")).isNull();
        assertThat(r.requestedAt("other")).isNull();

        assertThat(r.call(path, "{\"image\":\"ghcr.io/acme/other:2.0\"}", Map.of())).isEqualTo(200);
        assertThat(r.requestedAt("other")).isNotNull();
        assertThat(r.requestedAt("backend")).isNull();

        // the resourceFilter needs req.image: without a JSON body (req is empty) the evaluation fails
        assertThat(r.call(path, "image=ghcr.io/acme/backend", "application/x-www-form-urlencoded", Map.of())).isEqualTo(500);
        assertThat(r.requestedAt("backend")).isNull();
    }

    @Test
    void anInvalidExpressionStallsTheReceiver() {
        ReceiverScenario r = new ReceiverScenario("filter-bad", objects, server, "app");
        r.create("broken", Receiver.TYPE_GENERIC, spec -> {
            spec.setResources(List.of(ReceiverScenario.resource("app")));
            spec.setResourceFilter("res.metadata.name ==");
        });
        NotificationScenario.await(() -> {
            Receiver current = r.get("broken");
            return current.getStatus() != null && Conditions.isTrue(current.getStatus().getConditions(), Conditions.STALLED);
        }, "the Receiver Stalled");
        var ready = Conditions.find(r.get("broken").getStatus().getConditions(), Conditions.READY).orElseThrow();
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo("InvalidCELExpression");
        assertThat(ready.getMessage()).startsWith("Reconciliation failed terminally due to configuration error: invalid resourceFilter expression");
        assertThat(r.get("broken").getStatus().getWebhookPath()).isNull();
    }
}
