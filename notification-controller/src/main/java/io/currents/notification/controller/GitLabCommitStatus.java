package io.currents.notification.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.currents.runtime.events.FluxEvent;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The {@code gitlab} provider: a commit status ({@code POST /projects/<id>/statuses/<sha>}) with state {@code success}
 * or {@code failed}, the commit status identifier as name and the reason as description; {@code Progressing} events
 * are skipped. The commit's statuses of that name are listed first and an identical one (state, description, name) is
 * not posted again, as Flux does.
 */
final class GitLabCommitStatus implements Notifier {

    private final Delivery delivery;
    private final GitLabApi gitlab;
    private final String commitStatus;

    GitLabCommitStatus(ProviderSettings settings, Delivery delivery, String commitStatus) throws DispatchException {
        this.gitlab = new GitLabApi(settings, delivery);
        if (commitStatus == null || commitStatus.isEmpty()) {
            throw new DispatchException("commit status cannot be empty");
        }
        this.delivery = delivery;
        this.commitStatus = commitStatus;
    }

    @Override
    public void send(FluxEvent event) throws DispatchException, InterruptedException {
        if (CommitStatus.progressing(event)) {
            return;
        }
        String sha = CommitStatus.sha(event);
        String state = Notifier.isError(event) ? "failed" : "success";
        String description = CommitStatus.description(event);
        JsonNode existing = gitlab.read(gitlab.project("GET", "/repository/commits/" + sha + "/statuses?name="
                + URLEncoder.encode(commitStatus, StandardCharsets.UTF_8), null).build());
        if (existing != null && existing.isArray()) {
            for (JsonNode s : existing) {
                if (s.path("sha").asText().equals(sha) && s.path("status").asText().equals(state)
                        && s.path("description").asText().equals(description) && s.path("name").asText().equals(commitStatus)) {
                    return;
                }
            }
        }
        ObjectNode status = delivery.json.createObjectNode().put("state", state).put("name", commitStatus).put("description", description);
        delivery.send(gitlab.project("POST", "/statuses/" + sha, status).build());
    }
}
