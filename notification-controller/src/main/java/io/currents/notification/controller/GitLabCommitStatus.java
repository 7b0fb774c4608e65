package io.currents.notification.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.currents.runtime.events.FluxEvent;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * The {@code gitlab} provider: a commit status through the GitLab REST API ({@code <host>/api/v4/projects/<path>}),
 * state {@code running} while progressing, {@code success} for info and {@code failed} for error events, the context
 * as the status name; authenticated with the token as {@code PRIVATE-TOKEN}. A status identical to the newest one of
 * the same name is not posted again, as in Flux.
 */
final class GitLabCommitStatus implements Notifier {

    private final ProviderSettings settings;
    private final Delivery delivery;
    private final ObjectMapper json;
    private final CommitStatus.Repository repository;

    GitLabCommitStatus(ProviderSettings settings, Delivery delivery, ObjectMapper json) throws DispatchException {
        if (settings.token() == null || settings.token().isEmpty()) {
            throw new DispatchException("gitlab provider needs a 'token' in the Secret referenced by spec.secretRef");
        }
        this.settings = settings;
        this.delivery = delivery;
        this.json = json;
        this.repository = CommitStatus.repository(settings.address());
    }

    /** True when the newest status with this name already has this state and description (GitLab refuses repeats). */
    private boolean alreadySet(URI statuses, ObjectNode status) throws DispatchException, InterruptedException {
        HttpResponse<String> response = delivery.send(delivery.get(statuses, settings.headers())
                .setHeader("PRIVATE-TOKEN", settings.token()).build());
        JsonNode existing;
        try {
            existing = json.readTree(response.body());
        } catch (IOException e) {
            return false;
        }
        JsonNode newest = null;
        for (JsonNode s : existing == null ? json.createArrayNode() : existing) {
            if (s.path("name").asText().equals(status.path("name").asText())
                    && (newest == null || s.path("id").asLong() > newest.path("id").asLong())) {
                newest = s;
            }
        }
        return newest != null && newest.path("status").asText().equals(status.path("state").asText())
                && newest.path("description").asText().equals(status.path("description").asText());
    }

    static String state(FluxEvent event) {
        if (CommitStatus.progressing(event)) {
            return "running";
        }
        return FluxEvent.SEVERITY_ERROR.equals(event.severity()) ? "failed" : "success";
    }

    @Override
    public void send(FluxEvent event) throws DispatchException, InterruptedException {
        String sha = CommitStatus.sha(event);
        ObjectNode status = json.createObjectNode()
                .put("state", state(event))
                .put("name", CommitStatus.context(settings.uid(), event))
                .put("description", CommitStatus.description(event));
        String project = repository.base() + "/api/v4/projects/" + URLEncoder.encode(repository.path(), StandardCharsets.UTF_8);
        if (alreadySet(URI.create(project + "/repository/commits/" + sha + "/statuses?all=true&per_page=100"), status)) {
            return;
        }
        URI uri = URI.create(project + "/statuses/" + sha);
        try {
            HttpRequest.Builder request = delivery.post(uri, json.writeValueAsBytes(status), settings.headers())
                    .setHeader("PRIVATE-TOKEN", settings.token());
            delivery.send(request.build());
        } catch (IOException e) {
            throw new DispatchException("could not encode the commit status: " + e.getMessage());
        }
    }
}
