package io.currents.notification.controller;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.currents.runtime.FluxEvent;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;

/**
 * The {@code github} provider: a commit status on the revision the event names, through the GitHub REST API
 * ({@code api.github.com} for github.com, {@code <host>/api/v3} for GitHub Enterprise), state {@code pending} while
 * progressing, {@code success} for info and {@code failure} for error events.
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
        URI uri = URI.create(apiBase(repository) + "/repos/" + repository.path() + "/statuses/" + sha);
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
