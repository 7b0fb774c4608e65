package io.currents.notification.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.currents.runtime.events.FluxEvent;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The {@code azuredevops} provider: a Git commit status through the Azure DevOps REST API
 * ({@code <host>/<organization>/<project>/_apis/git/repositories/<repo>/commits/<sha>/statuses}), the address being
 * {@code https://dev.azure.com/<organization>/<project>/_git/<repo>}: state {@code succeeded} or {@code error}, the reason
 * as description, the commit status identifier as context name and genre {@code fluxcd} (or {@code fluxcd:<summary>}
 * with a {@code summary} metadata). The token is a personal access token (basic authentication with an empty user); an
 * identical status (same name and genre, state and description) is not posted again; {@code Progressing} events are
 * skipped.
 */
final class AzureDevOpsCommitStatus implements Notifier {

    static final String API_VERSION = "6.0";

    private final Delivery delivery;
    private final String commitStatus;
    private final String repository;
    private final AzureCredentials.TokenSource token;

    AzureDevOpsCommitStatus(ProviderSettings settings, Delivery delivery, String commitStatus, AzureCredentials azure) throws DispatchException {
        if (commitStatus == null || commitStatus.isEmpty()) {
            throw new DispatchException("commit status cannot be empty");
        }
        CommitStatus.Repository repo = CommitStatus.repository(settings.requireAddress("Azure DevOps repository address"));
        String[] parts = repo.path().split("/");
        if (parts.length != 4) {
            throw new DispatchException("invalid repository id \"" + repo.path() + "\"");
        }
        this.delivery = delivery;
        this.commitStatus = commitStatus;
        this.repository = repo.base() + "/" + enc(parts[0]) + "/" + enc(parts[1]) + "/_apis/git/repositories/" + enc(parts[3]);
        this.token = settings.token() != null ? AzureCredentials.pat(settings.token()) : azure.devOps(settings);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void send(FluxEvent event) throws DispatchException, InterruptedException {
        if (CommitStatus.progressing(event)) {
            return;
        }
        String sha = CommitStatus.sha(event);
        String state = Notifier.isError(event) ? "error" : "succeeded";
        String description = CommitStatus.description(event);
        String summary = event.metadata() == null ? null : event.metadata().get("summary");
        String genre = summary == null ? "fluxcd" : "fluxcd:" + summary;
        URI statuses = URI.create(repository + "/commits/" + sha + "/statuses?api-version=" + API_VERSION);
        String authorization = token.authorization();
        String existing = delivery.send(delivery.get(statuses).header("Authorization", authorization)
                .header("Accept", "application/json").build()).body();
        try {
            JsonNode list = delivery.json.readTree(existing);
            for (JsonNode s : list.has("value") ? list.path("value") : list) {
                JsonNode context = s.path("context");
                if (!context.hasNonNull("name") || !context.hasNonNull("genre") || !s.hasNonNull("state") || !s.hasNonNull("description")) {
                    continue;
                }
                if (context.path("name").asText().equals(commitStatus) && context.path("genre").asText().equals(genre)) {
                    if (s.path("state").asText().equals(state) && s.path("description").asText().equals(description)) {
                        return;
                    }
                    break;
                }
            }
        } catch (IOException e) {
            throw new DispatchException("could not list commit statuses: Azure DevOps answered with invalid JSON");
        }
        ObjectNode status = delivery.json.createObjectNode().put("description", description).put("state", state);
        status.putObject("context").put("genre", genre).put("name", commitStatus);
        delivery.send(delivery.json("POST", URI.create(repository + "/commits/" + sha + "/statuses?api-version=" + API_VERSION), status)
                .header("Authorization", authorization).header("Accept", "application/json").build());
    }
}
