package io.currents.ui;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.currents.ui.UiTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class ChangeStreamTest extends UiPageTest {

    @Test
    void anOpenPageIsToldWhenAnObjectChanges() throws Exception {
        String ns = namespace("ui-sse");
        GenericKubernetesResource git = gitRepository(ns, "repo", "https://example.invalid/repo",
                readyStatus("Unknown", "Progressing", "reconciliation in progress"));
        awaitInStore("GitRepository", ns, "repo");

        HttpResponse<Stream<String>> stream = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/events"))
                .header("Accept", "text/event-stream").header("Authorization", "Bearer " + TOKEN).GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(stream.statusCode()).isEqualTo(200);
        CompletableFuture<Void> connected = new CompletableFuture<>();
        CompletableFuture<String> readyEvent = CompletableFuture.supplyAsync(() -> stream.body()
                .peek(line -> {
                    if (line.contains("\"connected\":true")) {
                        connected.complete(null);
                    }
                })
                .filter(line -> line.startsWith("data:") && line.contains("\"namespace\":\"" + ns + "\"") && line.contains("\"status\":\"Ready\""))
                .findFirst().orElseThrow());
        connected.get(20, TimeUnit.SECONDS);

        git.setAdditionalProperty("status", Serialization.unmarshal(readyStatus("True", "Succeeded",
                "stored artifact for revision 'main@sha1:4444'"), Map.class));
        kube().genericKubernetesResources(GIT).resource(git).updateStatus();

        String event = readyEvent.get(20, TimeUnit.SECONDS);
        assertThat(event).contains("\"kind\":\"GitRepository\"", "\"name\":\"repo\"", "\"deleted\":false");
        stream.body().close();
    }

    @Test
    void theStreamNeedsALogin() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/events"))
                .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(401);
    }
}
