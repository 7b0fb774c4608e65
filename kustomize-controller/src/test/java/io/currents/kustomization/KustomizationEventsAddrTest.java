package io.currents.kustomization;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code events-addr}, Flux's event JSON is POSTed to notification-controller: the change set, the successful
 * reconciliation (with {@code commit_status: update} for Git commit statuses) and failures, each carrying the revision.
 */
@QuarkusTest
@TestProfile(LockdownProfile.class)
class KustomizationEventsAddrTest {

    @Test
    void changeSetsSuccessesAndFailuresArePostedWithTheRevision() {
        var s = KustomizationScenario.inNamespace(LockdownProfile.TENANT);
        LockdownProfile.grantDefaultServiceAccount(s.client, s.namespace);
        String revision = s.commit("notify", Map.of("cm.yaml", KustomizationScenario.configMap("notify-settings", s.namespace, Map.of("a", "1"))));
        var k = s.apply(KustomizationScenario.kustomization("notify", "notify", "", null));
        s.awaitApplied("notify", revision);

        JsonNode changeSet = await(e -> isAbout(e, s.namespace, "notify") && e.path("reason").asText().equals("Progressing")
                && e.path("message").asText().contains("ConfigMap/" + s.namespace + "/notify-settings created"));
        assertThat(changeSet.path("severity").asText()).isEqualTo("info");
        assertThat(changeSet.path("metadata").path("revision").asText()).isEqualTo(revision);
        assertThat(changeSet.path("reportingController").asText()).isEqualTo("kustomize-controller");
        assertThat(changeSet.path("involvedObject").path("apiVersion").asText()).isEqualTo("kustomize.toolkit.fluxcd.io/v1");
        assertThat(changeSet.path("involvedObject").path("uid").asText()).isEqualTo(k.getMetadata().getUid());
        assertThat(Instant.parse(changeSet.path("timestamp").asText())).isAfter(Instant.now().minus(Duration.ofMinutes(5)));

        JsonNode finished = await(e -> isAbout(e, s.namespace, "notify") && e.path("reason").asText().equals("ReconciliationSucceeded"));
        assertThat(finished.path("severity").asText()).isEqualTo("info");
        assertThat(finished.path("message").asText()).startsWith("Reconciliation finished in ").endsWith(", next run in 10m0s");
        assertThat(finished.path("metadata").path("revision").asText()).isEqualTo(revision);
        assertThat(finished.path("metadata").path("commit_status").asText()).isEqualTo("update");

        String broken = s.commit("notify", Map.of("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: [name: oops\n  data: {"));
        s.awaitNotReady("notify", "BuildFailed");
        JsonNode failure = await(e -> isAbout(e, s.namespace, "notify") && e.path("reason").asText().equals("BuildFailed"));
        assertThat(failure.path("severity").asText()).isEqualTo("error");
        assertThat(failure.path("metadata").path("revision").asText()).isEqualTo(broken);
        assertThat(failure.path("metadata").has("commit_status")).isFalse();
    }

    private static boolean isAbout(JsonNode event, String namespace, String name) {
        JsonNode ref = event.path("involvedObject");
        return "Kustomization".equals(ref.path("kind").asText()) && namespace.equals(ref.path("namespace").asText())
                && name.equals(ref.path("name").asText());
    }

    private static JsonNode await(Predicate<JsonNode> wanted) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<JsonNode> seen = List.of();
        while (System.nanoTime() < deadline) {
            seen = EventReceiver.received();
            for (JsonNode event : seen) {
                if (wanted.test(event)) {
                    return event;
                }
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("no such event was posted; received:\n" + seen);
    }
}
