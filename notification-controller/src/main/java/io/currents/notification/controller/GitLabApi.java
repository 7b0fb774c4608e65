package io.currents.notification.controller;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;

/**
 * The GitLab REST API v4 for one project ({@code <host>/api/v4/projects/<url-encoded path or id>}), authenticated with the
 * Secret's {@code token} (or {@code password}) as {@code PRIVATE-TOKEN}, as Flux's GitLab client sends it.
 */
final class GitLabApi {

    private final Delivery delivery;
    private final String api;
    final String project;
    private final String token;

    GitLabApi(ProviderSettings settings, Delivery delivery) throws DispatchException {
        String token = settings.tokenOrPassword();
        if (token == null) {
            throw new DispatchException("gitlab token cannot be empty");
        }
        CommitStatus.Repository repository = CommitStatus.repository(settings.requireAddress("GitLab project address"));
        this.delivery = delivery;
        this.api = repository.base() + "/api/v4";
        this.project = api + "/projects/" + URLEncoder.encode(repository.path(), StandardCharsets.UTF_8);
        this.token = token;
    }

    HttpRequest.Builder call(String method, String url, Object body) throws DispatchException {
        HttpRequest.Builder request = body == null ? delivery.request(method, URI.create(url), null, null)
                : delivery.json(method, URI.create(url), body);
        return request.header("PRIVATE-TOKEN", token);
    }

    HttpRequest.Builder project(String method, String path, Object body) throws DispatchException {
        return call(method, project + path, body);
    }

    JsonNode read(HttpRequest request) throws DispatchException, InterruptedException {
        String body = delivery.send(request).body();
        try {
            return delivery.json.readTree(body == null || body.isEmpty() ? "null" : body);
        } catch (IOException e) {
            throw new DispatchException("GitLab answered with invalid JSON");
        }
    }

    String username() throws DispatchException, InterruptedException {
        return read(call("GET", api + "/user", null).build()).path("username").asText();
    }
}
