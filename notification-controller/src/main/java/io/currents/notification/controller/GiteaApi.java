package io.currents.notification.controller;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;

/**
 * The Gitea API ({@code <host>/api/v1}) for one repository, authenticated with the Secret's {@code token} (or
 * {@code password}) as {@code Authorization: token <token>}, as the Gitea SDK Flux uses sends it.
 */
final class GiteaApi {

    private final Delivery delivery;
    private final String api;
    final String owner;
    final String repo;
    private final String token;

    GiteaApi(ProviderSettings settings, Delivery delivery) throws DispatchException {
        String token = settings.tokenOrPassword();
        if (token == null) {
            throw new DispatchException("gitea token cannot be empty");
        }
        CommitStatus.Repository repository = CommitStatus.repository(settings.requireAddress("Gitea repository address"));
        String[] parts = repository.path().split("/");
        if (parts.length != 2) {
            throw new DispatchException("invalid repository id \"" + repository.path() + "\"");
        }
        this.delivery = delivery;
        this.api = repository.base() + "/api/v1";
        this.owner = parts[0];
        this.repo = parts[1];
        this.token = token;
    }

    HttpRequest.Builder call(String method, String path, Object body) throws DispatchException {
        URI uri = URI.create(api + path);
        HttpRequest.Builder request = body == null ? delivery.request(method, uri, null, null) : delivery.json(method, uri, body);
        return request.header("Authorization", "token " + token).header("Accept", "application/json");
    }

    HttpRequest.Builder repo(String method, String path, Object body) throws DispatchException {
        return call(method, "/repos/" + owner + "/" + repo + path, body);
    }

    JsonNode read(HttpRequest request) throws DispatchException, InterruptedException {
        String body = delivery.send(request).body();
        try {
            return delivery.json.readTree(body == null || body.isEmpty() ? "null" : body);
        } catch (IOException e) {
            throw new DispatchException("Gitea answered with invalid JSON");
        }
    }
}
