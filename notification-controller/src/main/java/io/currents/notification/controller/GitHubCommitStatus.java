package io.currents.notification.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.currents.runtime.events.FluxEvent;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * The {@code github} provider: a commit status on the revision the event names, through the GitHub REST API
 * ({@code api.github.com} for github.com, {@code <host>/api/v3} for GitHub Enterprise), state {@code pending} while
 * progressing, {@code success} for info and {@code failure} for error events. Like Flux, it first lists the commit's
 * statuses and skips a status identical (state and description) to the newest one of the same context.
 */
final class GitHubCommitStatus implements Notifier {

    private final ProviderSettings settings;
    private final Delivery delivery;
    private final ObjectMapper json;
    private final CommitStatus.Repository repository;

    GitHubCommitStatus(ProviderSettings settings, Delivery delivery, ObjectMapper json) throws DispatchException {
        if (settings.token() == null || settings.token().isEmpty()) {
            throw new DispatchException("github provider needs a 'token' in the Secret referenced by spec.secretRef");
        }
        this.settings = settings;
        this.delivery = delivery;
        this.json = json;
        this.repository = CommitStatus.repository(settings.address());
        if (repository.path().split("/").length != 2) {
            throw new DispatchException("invalid GitHub repository address '" + settings.address() + "': expected https://<host>/<owner>/<repository>");
        }
    }

    /** True when the newest status of the same context already has this state and description (Flux skips it). */
    private boolean alreadySet(URI statuses, ObjectNode status) throws DispatchException, InterruptedException {
        HttpResponse<String> response = delivery.send(delivery.get(statuses, settings.headers())
                .setHeader("Accept", "application/vnd.github+json")
                .setHeader("Authorization", "Bearer " + settings.token()).build());
        JsonNode existing;
        try {
            existing = json.readTree(response.body());
        } catch (IOException e) {
            return false;
        }
        for (JsonNode s : existing == null ? json.createArrayNode() : existing) {
            if (s.path("context").asText().equals(status.path("context").asText())) {
                return s.path("state").asText().equals(status.path("state").asText())
                        && s.path("description").asText().equals(status.path("description").asText());
            }
        }
        return false;
    }

    static String apiBase(CommitStatus.Repository repository) {
        return "github.com".equals(repository.host()) ? "https://api.github.com" : repository.base() + "/api/v3";
    }

    static String state(FluxEvent event) {
        if (CommitStatus.progressing(event)) {
            return "pending";
        }
        return FluxEvent.SEVERITY_ERROR.equals(event.severity()) ? "failure" : "success";
    }

    @Override
    public void send(FluxEvent event) throws DispatchException, InterruptedException {
        String sha = CommitStatus.sha(event);
        ObjectNode status = json.createObjectNode()
                .put("state", state(event))
                .put("description", CommitStatus.description(event))
                .put("context", CommitStatus.context(settings.uid(), event));
        String repo = apiBase(repository) + "/repos/" + repository.path();
        if (alreadySet(URI.create(repo + "/commits/" + sha + "/statuses?per_page=50"), status)) {
            return;
        }
        URI uri = URI.create(repo + "/statuses/" + sha);
        try {
            HttpRequest.Builder request = delivery.post(uri, json.writeValueAsBytes(status), settings.headers())
                    .setHeader("Accept", "application/vnd.github+json")
                    .setHeader("Authorization", "Bearer " + settings.token());
            delivery.send(request.build());
        } catch (IOException e) {
            throw new DispatchException("could not encode the commit status: " + e.getMessage());
        }
    }
}
