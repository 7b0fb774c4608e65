package io.currents.notification.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.currents.runtime.events.FluxEvent;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * The {@code bitbucketserver} provider (Bitbucket Server / Data Center): a build status through
 * {@code <context>/rest/api/latest/projects/<project>/repos/<repo>/commits/<sha>/builds}, the address being the HTTPS
 * clone URL ({@code .../scm/<project>/<repo>.git}); key the SHA-1 of the commit status identifier, state
 * {@code SUCCESSFUL} or {@code FAILED}, name {@code kind/name [description]}, the provider address as URL. The build
 * status with that key is read first ({@code ?key=}) and an identical one is not posted again. A token is sent as
 * {@code Bearer}, otherwise the username and password as basic authentication; {@code Progressing} events are skipped.
 */
final class BitbucketServerCommitStatus implements Notifier {

    private final ProviderSettings settings;
    private final Delivery delivery;
    private final String commitStatus;
    private final String commits;

    BitbucketServerCommitStatus(ProviderSettings settings, Delivery delivery, String commitStatus) throws DispatchException {
        this.commits = commitsUrl(settings.requireAddress("Bitbucket Server clone URL"));
        if (commitStatus == null || commitStatus.isEmpty()) {
            throw new DispatchException("commit status cannot be empty");
        }
        if (settings.token() == null && (settings.username() == null || settings.password() == null)) {
            throw new DispatchException("invalid credentials, expected to be one of username/password or API Token");
        }
        this.settings = settings;
        this.delivery = delivery;
        this.commitStatus = commitStatus;
    }

    static String commitsUrl(String address) throws DispatchException {
        URI u;
        try {
            u = new URI(address);
        } catch (URISyntaxException e) {
            throw new DispatchException("could not parse git address: " + e.getReason());
        }
        if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
            throw new DispatchException("could not parse git address: unsupported scheme type in address: " + u.getScheme()
                    + ". Must be http or https");
        }
        String path = u.getPath() == null ? "" : u.getPath();
        if (path.endsWith(".git")) {
            path = path.substring(0, path.length() - 4);
        }
        int scm = path.lastIndexOf("/scm/");
        if (scm < 0) {
            throw new DispatchException("could not parse git address: supplied provider address is not http(s) git clone url");
        }
        String[] id = path.substring(scm + "/scm/".length()).split("/");
        if (id.length != 2) {
            throw new DispatchException("could not parse git address: invalid repository id \"" + path.substring(scm + 5) + "\"");
        }
        return u.getScheme() + "://" + u.getRawAuthority() + path.substring(0, scm) + "/rest/api/latest/projects/" + id[0]
                + "/repos/" + id[1] + "/commits";
    }

    private java.net.http.HttpRequest.Builder authorize(java.net.http.HttpRequest.Builder request) {
        request.header("Authorization", settings.token() != null ? "Bearer " + settings.token()
                : Delivery.basic(settings.username(), settings.password()));
        return request.header("x-atlassian-token", "no-check").header("x-requested-with", "XMLHttpRequest");
    }

    @Override
    public void send(FluxEvent event) throws DispatchException, InterruptedException {
        if (CommitStatus.progressing(event)) {
            return;
        }
        String sha = CommitStatus.sha(event);
        String state = Notifier.isError(event) ? "FAILED" : "SUCCESSFUL";
        String description = CommitStatus.description(event);
        String name = CommitStatus.name(event) + " [" + description + "]";
        String key = BitbucketCommitStatus.sha1(commitStatus);
        String builds = commits + "/" + sha + "/builds";
        Delivery.Answer existing = delivery.exchange(authorize(delivery.get(URI.create(builds + "?key=" + key))).build(),
                code -> (code >= 200 && code < 300) || code == 404);
        if (existing.status() == 200) {
            try {
                JsonNode current = delivery.json.readTree(existing.body());
                if (current != null && key.equals(current.path("key").asText()) && state.equals(current.path("state").asText())
                        && description.equals(current.path("description").asText()) && name.equals(current.path("name").asText())) {
                    return;
                }
            } catch (IOException e) {
                throw new DispatchException("could not unmarshal json response body for duplicate commit status");
            }
        }
        ObjectNode status = delivery.json.createObjectNode()
                .put("description", description).put("key", key).put("name", name).put("state", state)
                .put("url", settings.address());
        delivery.send(authorize(delivery.json("POST", URI.create(builds), status)).build());
    }
}
