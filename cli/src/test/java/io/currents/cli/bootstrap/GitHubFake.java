package io.currents.cli.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.currents.cli.bootstrap.ProviderServer.Request;
import io.currents.cli.bootstrap.ProviderServer.Response;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The part of GitHub's REST API v3 that bootstrap uses, as docs.github.com documents it, under {@code /api/v3} (GitHub
 * Enterprise Server's prefix): get and create repositories ({@code /repos/{owner}/{repo}}, {@code /user/repos},
 * {@code /orgs/{org}/repos}, {@code PATCH private}), check and add team access
 * ({@code /orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}}), list, add and delete deploy keys. With {@code gitea},
 * Gitea's API v1 instead (docs.gitea.com, {@code /api/v1}), which follows GitHub's for these calls except team access
 * ({@code GET/PUT /repos/{owner}/{repo}/teams/{team}}, no body) and a required deploy-key {@code title}.
 */
final class GitHubFake {

    private static final Set<String> PERMISSIONS = Set.of("pull", "triage", "push", "maintain", "admin");

    final ProviderServer server;
    final Map<String, ObjectNode> repos = new LinkedHashMap<>();
    final Map<String, String> teamAccess = new LinkedHashMap<>();
    final List<ObjectNode> keys = new ArrayList<>();
    private int nextKeyId = 1;

    /**
     * @param login       the token's user
     * @param cloneUrl    the clone_url every repository reports (the real Git server over HTTPS)
     * @param sshUrl      the ssh_url every repository reports (the real sshd)
     * @param onKeyAdded  called with each deploy key added, as the service starts accepting it
     */
    GitHubFake(ProviderServer server, boolean gitea, String login, String cloneUrl, String sshUrl, Consumer<String> onKeyAdded) {
        this.server = server;
        String p = gitea ? "/api/v1" : "/api/v3";
        String name = "([A-Za-z0-9_.-]+)";
        server.on("GET", p + "/user", r -> Response.ok(Map.of("login", login, "id", 1, "type", "User")));
        server.on("GET", p + "/repos/" + name + "/" + name, r -> {
            ObjectNode repo = repos.get(r.group(1) + "/" + r.group(2));
            return repo == null ? Response.notFound() : Response.ok(repo);
        });
        server.on("POST", p + "/user/repos", r -> create(r, login, cloneUrl, sshUrl));
        server.on("POST", p + "/orgs/" + name + "/repos", r -> create(r, r.group(1), cloneUrl, sshUrl));
        server.on("PATCH", p + "/repos/" + name + "/" + name, r -> {
            ObjectNode repo = repos.get(r.group(1) + "/" + r.group(2));
            Response bad = server.checkFields(r, List.of(), List.of("name", "description", "private", "visibility", "default_branch"));
            if (bad != null) {
                return bad;
            }
            if (repo == null) {
                return Response.notFound();
            }
            if (r.body().has("private")) {
                repo.put("private", r.body().get("private").asBoolean());
            }
            return Response.ok(repo);
        });
        if (gitea) {
            String team = p + "/repos/" + name + "/" + name + "/teams/" + name;
            server.on("GET", team, r -> teamAccess.containsKey(r.group(3) + "@" + r.group(1) + "/" + r.group(2))
                    ? Response.ok(Map.of("name", r.group(3), "permission", "write")) : Response.notFound());
            server.on("PUT", team, r -> {
                if (r.body() != null) {
                    return server.violation("PUT team: Gitea's endpoint takes no body");
                }
                teamAccess.put(r.group(3) + "@" + r.group(1) + "/" + r.group(2), "team's own");
                return new Response(204, null);
            });
        } else {
            String team = p + "/orgs/" + name + "/teams/" + name + "/repos/" + name + "/" + name;
            server.on("GET", team, r -> teamAccess.containsKey(r.group(2) + "@" + r.group(3) + "/" + r.group(4))
                    ? new Response(204, null) : Response.notFound());
            server.on("PUT", team, r -> {
                Response bad = server.checkFields(r, List.of(), List.of("permission"));
                if (bad != null) {
                    return bad;
                }
                String permission = r.body().path("permission").asText("push");
                if (!PERMISSIONS.contains(permission)) {
                    return server.violation("PUT team: unknown permission " + permission);
                }
                teamAccess.put(r.group(2) + "@" + r.group(3) + "/" + r.group(4), permission);
                return new Response(204, null);
            });
        }
        String keysPath = p + "/repos/" + name + "/" + name + "/keys";
        server.on("GET", keysPath, r -> Response.ok(keys));
        server.on("POST", keysPath, r -> {
            Response bad = gitea ? server.checkFields(r, List.of("key", "title"), List.of("read_only"))
                    : server.checkFields(r, List.of("key"), List.of("title", "read_only"));
            if (bad != null) {
                return bad;
            }
            ObjectNode key = ProviderServer.JSON.createObjectNode();
            key.put("id", nextKeyId++);
            key.put("key", r.body().get("key").asText());
            key.put("title", r.body().path("title").asText());
            key.put("read_only", r.body().path("read_only").asBoolean(false));
            key.put("verified", true);
            keys.add(key);
            onKeyAdded.accept(key.get("key").asText());
            return new Response(201, key);
        });
        server.on("DELETE", keysPath + "/([0-9]+)", r -> keys.removeIf(k -> k.get("id").asText().equals(r.group(3)))
                ? new Response(204, null) : Response.notFound());
    }

    /** A repository the service holds already. */
    ObjectNode existing(String owner, String name, boolean isPrivate, String cloneUrl, String sshUrl) {
        ObjectNode repo = repo(owner, name, isPrivate, cloneUrl, sshUrl);
        repos.put(owner + "/" + name, repo);
        return repo;
    }

    private Response create(Request r, String owner, String cloneUrl, String sshUrl) {
        Response bad = server.checkFields(r, List.of("name"), List.of("description", "private", "visibility", "auto_init"));
        if (bad != null) {
            return bad;
        }
        String name = r.body().get("name").asText();
        if (repos.containsKey(owner + "/" + name)) {
            return new Response(422, Map.of("message", "Repository creation failed."));
        }
        JsonNode isPrivate = r.body().path("private");
        return new Response(201, existing(owner, name, isPrivate.asBoolean(false), cloneUrl, sshUrl));
    }

    private ObjectNode repo(String owner, String name, boolean isPrivate, String cloneUrl, String sshUrl) {
        ObjectNode repo = ProviderServer.JSON.createObjectNode();
        repo.put("id", repos.size() + 1);
        repo.put("name", name);
        repo.put("full_name", owner + "/" + name);
        repo.put("private", isPrivate);
        repo.put("html_url", "https://" + server.host() + "/" + owner + "/" + name);
        repo.put("clone_url", cloneUrl);
        repo.put("ssh_url", sshUrl);
        return repo;
    }
}
