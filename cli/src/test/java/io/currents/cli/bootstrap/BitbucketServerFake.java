package io.currents.cli.bootstrap;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.currents.cli.bootstrap.ProviderServer.Response;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The part of Bitbucket Server's REST API 1.0 that bootstrap uses, as its REST documentation describes it: projects
 * and repositories ({@code /rest/api/1.0/projects/{key}[/repos/{slug}]}), group permissions of a repository
 * ({@code …/permissions/groups}, the PUT taking {@code permission} and {@code name} as query parameters) and SSH access
 * keys ({@code /rest/keys/1.0/projects/{key}/repos/{slug}/ssh}). HTTP basic authentication with the token.
 */
final class BitbucketServerFake {

    private static final Set<String> PERMISSIONS = Set.of("REPO_READ", "REPO_WRITE", "REPO_ADMIN");

    final ProviderServer server;
    final Set<String> projects = new java.util.HashSet<>();
    final Map<String, ObjectNode> repos = new LinkedHashMap<>();
    final Map<String, String> groupPermissions = new LinkedHashMap<>();
    final List<ObjectNode> keys = new ArrayList<>();
    private int nextKeyId = 1;

    BitbucketServerFake(ProviderServer server, String httpCloneHref, String sshUrl, Consumer<String> onKeyAdded) {
        this.server = server;
        String api = "/rest/api/1.0/projects/([^/]+)";
        server.on("GET", api, r -> projects.contains(r.group(1)) ? Response.ok(Map.of("key", r.group(1), "id", 1, "name", r.group(1)))
                : Response.notFound());
        server.on("GET", api + "/repos/([^/]+)", r -> {
            ObjectNode repo = repos.get(r.group(1) + "/" + r.group(2));
            return repo == null ? Response.notFound() : Response.ok(repo);
        });
        server.on("POST", api + "/repos", r -> {
            Response bad = server.checkFields(r, List.of("name"), List.of("scmId", "forkable", "defaultBranch", "public", "description"));
            if (bad != null) {
                return bad;
            }
            if (!"git".equals(r.body().path("scmId").asText("git"))) {
                return server.violation("POST repos: scmId must be git");
            }
            String name = r.body().get("name").asText();
            String slug = name.toLowerCase(java.util.Locale.ROOT);
            ObjectNode repo = ProviderServer.JSON.createObjectNode();
            repo.put("slug", slug);
            repo.put("name", name);
            repo.put("scmId", "git");
            repo.put("public", r.body().path("public").asBoolean(false));
            repo.putObject("project").put("key", r.group(1));
            var clone = repo.putObject("links").putArray("clone");
            clone.addObject().put("href", httpCloneHref).put("name", "http");
            clone.addObject().put("href", sshUrl).put("name", "ssh");
            repos.put(r.group(1) + "/" + slug, repo);
            return new Response(201, repo);
        });
        String groups = api + "/repos/([^/]+)/permissions/groups";
        server.on("GET", groups, r -> {
            String filter = r.query() == null ? "" : r.query().replaceFirst("^filter=", "");
            List<Map<String, Object>> values = new ArrayList<>();
            groupPermissions.forEach((g, p) -> {
                if (g.contains(filter)) {
                    values.add(Map.of("group", Map.of("name", g), "permission", p));
                }
            });
            return Response.ok(Map.of("size", values.size(), "isLastPage", true, "start", 0, "values", values));
        });
        server.on("PUT", groups, r -> {
            Map<String, String> query = new LinkedHashMap<>();
            for (String pair : (r.query() == null ? "" : r.query()).split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
            if (r.body() != null || !PERMISSIONS.contains(query.get("permission")) || query.get("name") == null) {
                return server.violation("PUT permissions/groups: needs ?permission=REPO_…&name=…, no body");
            }
            groupPermissions.put(query.get("name"), query.get("permission"));
            return new Response(204, null);
        });
        String keysPath = "/rest/keys/1.0/projects/([^/]+)/repos/([^/]+)/ssh";
        server.on("GET", keysPath, r -> {
            List<Map<String, Object>> values = new ArrayList<>();
            for (ObjectNode key : keys) {
                values.add(Map.of("key", Map.of("id", key.get("id").asInt(), "text", key.get("text").asText(), "label", key.get("label").asText()),
                        "permission", key.get("permission").asText()));
            }
            return Response.ok(Map.of("size", values.size(), "isLastPage", true, "start", 0, "values", values));
        });
        server.on("POST", keysPath, r -> {
            Response bad = server.checkFields(r, List.of("key", "permission"), List.of());
            if (bad != null) {
                return bad;
            }
            if (!r.body().get("key").has("text") || !Set.of("REPO_READ", "REPO_WRITE").contains(r.body().get("permission").asText())) {
                return server.violation("POST ssh: needs key.text and permission REPO_READ or REPO_WRITE");
            }
            ObjectNode key = ProviderServer.JSON.createObjectNode();
            key.put("id", nextKeyId++);
            key.put("text", r.body().get("key").get("text").asText());
            key.put("label", r.body().get("key").path("label").asText(""));
            key.put("permission", r.body().get("permission").asText());
            keys.add(key);
            onKeyAdded.accept(key.get("text").asText());
            return new Response(201, Map.of("key", Map.of("id", key.get("id").asInt(), "text", key.get("text").asText(),
                    "label", key.get("label").asText()), "permission", key.get("permission").asText()));
        });
        server.on("DELETE", keysPath + "/([0-9]+)", r -> keys.removeIf(k -> k.get("id").asText().equals(r.group(3)))
                ? new Response(204, null) : Response.notFound());
    }
}
