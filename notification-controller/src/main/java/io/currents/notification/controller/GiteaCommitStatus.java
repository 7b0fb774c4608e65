package io.currents.notification.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.currents.runtime.events.FluxEvent;

/**
 * The {@code gitea} provider: a commit status ({@code POST /repos/<owner>/<repo>/statuses/<sha>}) with state
 * {@code pending} while progressing, {@code success} for info and {@code failure} for error events, the commit status
 * identifier as context. The commit's statuses are listed first and one identical to the newest of the same context is
 * not posted again.
 */
final class GiteaCommitStatus implements Notifier {

    private final Delivery delivery;
    private final GiteaApi gitea;
    private final String commitStatus;

    GiteaCommitStatus(ProviderSettings settings, Delivery delivery, String commitStatus) throws DispatchException {
        if (commitStatus == null || commitStatus.isEmpty()) {
            throw new DispatchException("commit status cannot be empty");
        }
        this.gitea = new GiteaApi(settings, delivery);
        this.delivery = delivery;
        this.commitStatus = commitStatus;
    }

    @Override
    public void send(FluxEvent event) throws DispatchException, InterruptedException {
        String sha = CommitStatus.sha(event);
        String state = CommitStatus.progressing(event) ? "pending" : Notifier.isError(event) ? "failure" : "success";
        ObjectNode status = delivery.json.createObjectNode()
                .put("state", state).put("target_url", "").put("description", CommitStatus.description(event)).put("context", commitStatus);
        JsonNode existing = gitea.read(gitea.repo("GET", "/commits/" + sha + "/statuses?page=1&limit=50", null).build());
        if (existing != null && existing.isArray()) {
            for (JsonNode s : existing) {
                String context = s.path("context").asText("");
                if (context.isEmpty() || s.path("status").asText("").isEmpty() || s.path("description").asText("").isEmpty()) {
                    continue;
                }
                if (context.equals(commitStatus)) {
                    if (s.path("status").asText().equals(state) && s.path("description").asText().equals(status.path("description").asText())) {
                        return;
                    }
                    break;
                }
            }
        }
        delivery.send(gitea.repo("POST", "/statuses/" + sha, status).build());
    }
}
