package io.currents.notification.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.currents.runtime.events.FluxEvent;

/**
 * The {@code github} provider: a commit status on the revision the event names, state {@code success} for info and
 * {@code failure} for error events ({@code Progressing} events are skipped, as in Flux), the commit status identifier
 * (default or {@code spec.commitStatusExpr}) as context and the reason as description. It first lists the commit's
 * statuses and skips one identical (state and description) to the newest of the same context.
 */
final class GitHubCommitStatus implements Notifier {

    private final ProviderSettings settings;
    private final Delivery delivery;
    private final String commitStatus;

    GitHubCommitStatus(ProviderSettings settings, Delivery delivery, String commitStatus) throws DispatchException {
        if (commitStatus == null || commitStatus.isEmpty()) {
            throw new DispatchException("commit status cannot be empty");
        }
        settings.requireAddress("GitHub repository address");
        this.settings = settings;
        this.delivery = delivery;
        this.commitStatus = commitStatus;
    }

    @Override
    public void send(FluxEvent event) throws DispatchException, InterruptedException {
        if (CommitStatus.progressing(event)) {
            return;
        }
        String sha = CommitStatus.sha(event);
        GitHubApi github = GitHubApi.connect(settings, delivery, false);
        ObjectNode status = github.object()
                .put("state", Notifier.isError(event) ? "failure" : "success")
                .put("description", CommitStatus.description(event))
                .put("context", commitStatus);
        JsonNode existing = github.read(github.repo("GET", "/commits/" + sha + "/statuses?per_page=50", null).build());
        for (JsonNode s : existing == null || !existing.isArray() ? github.object().arrayNode() : existing) {
            if (!s.hasNonNull("context") || !s.hasNonNull("state") || !s.hasNonNull("description")) {
                continue;
            }
            if (s.path("context").asText().equals(commitStatus)) {
                if (s.path("state").asText().equals(status.path("state").asText())
                        && s.path("description").asText().equals(status.path("description").asText())) {
                    return;
                }
                break;
            }
        }
        delivery.send(github.repo("POST", "/statuses/" + sha, status).build());
    }
}
