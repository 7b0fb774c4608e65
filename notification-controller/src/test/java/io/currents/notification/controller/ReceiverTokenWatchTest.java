package io.currents.notification.controller;

import io.currents.api.notification.v1.Receiver;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flux's {@code reconcile.fluxcd.io/watch: Enabled} on a Receiver's token Secret: a new token publishes the new webhook
 * path at once, long before the 10m interval; an unlabelled Secret waits for the interval.
 */
@QuarkusTest
@QuarkusTestResource(value = NotificationControllerTestResource.class, restrictToAnnotatedClass = false)
class ReceiverTokenWatchTest {

    @Inject
    NotificationObjects objects;

    @Test
    void aLabelledTokenSecretRepublishesTheWebhookPathAndAnUnlabelledOneDoesNot() {
        NotificationScenario s = new NotificationScenario("receiver-watch", objects);
        token(s, "watched-token", true, "first");
        token(s, "plain-token", false, "first");
        ReceiverWebhookTest.receiver(s, "watched", Receiver.TYPE_GENERIC, "watched-token", List.of(),
                ReceiverWebhookTest.resource("GitRepository", "fleet", null));
        ReceiverWebhookTest.receiver(s, "plain", Receiver.TYPE_GENERIC, "plain-token", List.of(),
                ReceiverWebhookTest.resource("GitRepository", "fleet", null));
        String watchedPath = ReceiverWebhookTest.awaitReady(s, "watched").getStatus().getWebhookPath();
        String plainPath = ReceiverWebhookTest.awaitReady(s, "plain").getStatus().getWebhookPath();

        change(s, "plain-token", "second");
        long start = System.nanoTime();
        change(s, "watched-token", "second");
        NotificationScenario.await(() -> !watchedPath.equals(path(s, "watched")), "a new webhook path for the watched Receiver");
        long took = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("labelled token Secret change republished the webhook path in %d ms (interval 10m)%n", took);

        RecordingServer.sleep(Math.max(0, 3000 - took));
        assertThat(path(s, "plain")).as("an unlabelled Secret does not trigger a reconcile").isEqualTo(plainPath);
    }

    private static String path(NotificationScenario s, String receiver) {
        return s.client.resources(Receiver.class).inNamespace(s.namespace).withName(receiver).get().getStatus().getWebhookPath();
    }

    private static void token(NotificationScenario s, String name, boolean watched, String token) {
        var meta = new SecretBuilder().withNewMetadata().withName(name).withNamespace(s.namespace);
        if (watched) {
            meta.addToLabels("reconcile.fluxcd.io/watch", "Enabled");
        }
        s.client.secrets().inNamespace(s.namespace).resource(meta.endMetadata().withStringData(Map.of("token", token)).build()).create();
    }

    private static void change(NotificationScenario s, String name, String token) {
        s.client.secrets().inNamespace(s.namespace).withName(name)
                .edit(secret -> new SecretBuilder(secret).withData(null).withStringData(Map.of("token", token)).build());
    }
}
