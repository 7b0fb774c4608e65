package io.currents.notification.controller;

import com.fasterxml.jackson.databind.JsonNode;
import io.currents.api.notification.v1beta3.Provider;
import io.currents.api.source.v1.GitRepository;
import io.currents.api.source.v1.GitRepositorySpec;
import io.currents.runtime.events.EventRecorder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.currents.notification.controller.NotificationScenario.source;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runtime's EventRecorder, as every Currents controller uses it with {@code events-addr} set, posts an event about
 * a real GitRepository; it travels over HTTP into the pipeline and out to Slack.
 */
@QuarkusTest
@QuarkusTestResource(value = NotificationControllerTestResource.class, restrictToAnnotatedClass = false)
class EventRecorderEndToEndTest {

    @Inject
    NotificationObjects objects;
    @Inject
    EventRecorder recorder;

    @Test
    void aControllerEventFlowsFromTheRecorderToSlack() {
        NotificationScenario s = new NotificationScenario("e2e", objects);
        try (RecordingServer slack = new RecordingServer()) {
            s.provider("slack", Provider.TYPE_SLACK, slack.url("/services/T1/B2/C3"), spec -> spec.setChannel("gitops"));
            s.alert("sources", "slack", List.of(source("GitRepository", "*")), spec -> spec.setEventMetadata(Map.of("cluster", "dev")));

            GitRepository repo = new GitRepository();
            repo.getMetadata().setName("podinfo");
            repo.getMetadata().setNamespace(s.namespace);
            GitRepositorySpec spec = new GitRepositorySpec();
            spec.setUrl("https://github.com/stefanprodan/podinfo");
            spec.setInterval("1m");
            repo.setSpec(spec);
            GitRepository created = s.client.resources(GitRepository.class).inNamespace(s.namespace).resource(repo).create();

            recorder.normal(created, "NewArtifact", "stored artifact for commit 'Release 6.5.0'",
                    Map.of("revision", "master@sha1:4b1b2c3d4e5f"));

            JsonNode payload = slack.awaitOne(Duration.ofSeconds(20)).json();
            assertThat(payload.path("channel").asText()).isEqualTo("gitops");
            assertThat(payload.path("username").asText()).isEqualTo("notification-controller");
            JsonNode attachment = payload.path("attachments").get(0);
            assertThat(attachment.path("author_name").asText()).isEqualTo("gitrepository/podinfo." + s.namespace);
            assertThat(attachment.path("text").asText()).isEqualTo("stored artifact for commit 'Release 6.5.0'");
            assertThat(attachment.path("color").asText()).isEqualTo("good");
            assertThat(attachment.path("fields").findValuesAsText("title")).containsExactly("cluster", "revision");
            assertThat(attachment.path("fields").findValuesAsText("value")).containsExactly("dev", "master@sha1:4b1b2c3d4e5f");
        }
    }
}
