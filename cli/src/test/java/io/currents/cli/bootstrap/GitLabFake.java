package io.currents.cli.bootstrap;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.currents.cli.bootstrap.ProviderServer.Response;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The part of GitLab's REST API v4 that bootstrap uses, as docs.gitlab.com documents it: projects by id or URL-encoded
 * path ({@code GET/PUT /projects/:id}, {@code POST /projects} with {@code namespace_id}), groups by path
 * ({@code GET /groups/:id}), sharing with groups ({@code POST /projects/:id/share}, {@code DELETE …/share/:group_id}),
 * deploy keys ({@code /projects/:id/deploy_keys}) and {@code GET /user}. Token in {@code PRIVATE-TOKEN}.
 */
final class GitLabFake {

    private static final Set<String> VISIBILITIES = Set.of("private", "internal", "public");

    final ProviderServer server;
    final Map<String, ObjectNode> projects = new LinkedHashMap<>();
    final Map<String, Integer> groups = new LinkedHashMap<>();
    final List<ObjectNode> keys = new ArrayList<>();
    final List<ObjectNode> deployTokens = new ArrayList<>();
    private int nextKeyId = 1;
    private int nextTokenId = 1;

    GitLabFake(ProviderServer server, String username, String cloneUrl, String sshUrl, Consumer<String> onKeyAdded) {
        this.server = server;
        String p = "/api/v4";
        server.on("GET", p + "/user", r -> Response.ok(Map.of("id", 1, "username", username)));
        server.on("GET", p + "/groups/([^/]+)", r -> {
            String path = decode(r.group(1));
            return groups.containsKey(path) ? Response.ok(Map.of("id", groups.get(path), "full_path", path)) : Response.notFound();
        });
        server.on("GET", p + "/projects/([^/]+)", r -> {
            ObjectNode project = project(r.group(1));
            return project == null ? Response.notFound() : Response.ok(project);
        });
        server.on("POST", p + "/projects", r -> {
            Response bad = server.checkFields(r, List.of("name"), List.of("path", "namespace_id", "visibility", "description",
                    "default_branch", "initialize_with_readme"));
            if (bad != null) {
                return bad;
            }
            String namespace = username;
            if (r.body().has("namespace_id")) {
                int id = r.body().get("namespace_id").asInt();
                namespace = groups.entrySet().stream().filter(e -> e.getValue() == id).map(Map.Entry::getKey).findFirst().orElse(null);
                if (namespace == null) {
                    return server.violation("POST /projects: unknown namespace_id " + id);
                }
            }
            String visibility = r.body().path("visibility").asText("private");
            if (!VISIBILITIES.contains(visibility)) {
                return server.violation("POST /projects: visibility " + visibility);
            }
            String path = r.body().path("path").asText(r.body().get("name").asText());
            return new Response(201, existing(namespace, path, visibility, cloneUrl, sshUrl));
        });
        server.on("PUT", p + "/projects/([0-9]+)", r -> {
            Response bad = server.checkFields(r, List.of(), List.of("visibility", "name", "description", "default_branch"));
            if (bad != null) {
                return bad;
            }
            ObjectNode project = project(r.group(1));
            if (project == null) {
                return Response.notFound();
            }
            project.put("visibility", r.body().path("visibility").asText(project.get("visibility").asText()));
            return Response.ok(project);
        });
        server.on("POST", p + "/projects/([0-9]+)/share", r -> {
            Response bad = server.checkFields(r, List.of("group_id", "group_access"), List.of("expires_at"));
            if (bad != null) {
                return bad;
            }
            int groupId = r.body().get("group_id").asInt();
            String group = groups.entrySet().stream().filter(e -> e.getValue() == groupId).map(Map.Entry::getKey).findFirst().orElse(null);
            if (group == null || !Set.of(10, 20, 30, 40, 50).contains(r.body().get("group_access").asInt())) {
                return server.violation("POST share: unknown group or access level");
            }
            ObjectNode share = ((ArrayNode) project(r.group(1)).get("shared_with_groups")).addObject();
            share.put("group_id", groupId);
            share.put("group_name", group);
            share.put("group_full_path", group);
            share.put("group_access_level", r.body().get("group_access").asInt());
            return new Response(201, share);
        });
        server.on("DELETE", p + "/projects/([0-9]+)/share/([0-9]+)", r -> {
            ArrayNode shares = (ArrayNode) project(r.group(1)).get("shared_with_groups");
            for (int i = 0; i < shares.size(); i++) {
                if (shares.get(i).get("group_id").asText().equals(r.group(2))) {
                    shares.remove(i);
                    return new Response(204, null);
                }
            }
            return Response.notFound();
        });
        String tokensPath = p + "/projects/([0-9]+)/deploy_tokens";
        server.on("GET", tokensPath, r -> Response.ok(deployTokens.stream().map(t -> t.deepCopy().without("token")).toList()));
        server.on("POST", tokensPath, r -> {
            Response bad = server.checkFields(r, List.of("name", "scopes"), List.of("expires_at", "username"));
            if (bad != null) {
                return bad;
            }
            if (!r.body().get("scopes").isArray() || r.body().get("scopes").isEmpty()) {
                return server.violation("POST deploy_tokens: scopes must be a non-empty array");
            }
            ObjectNode token = ProviderServer.JSON.createObjectNode();
            int id = nextTokenId++;
            token.put("id", id);
            token.put("name", r.body().get("name").asText());
            token.put("username", "gitlab+deploy-token-" + id);
            token.set("scopes", r.body().get("scopes"));
            token.put("revoked", false);
            token.put("expired", false);
            token.put("token", "deploy-secret-" + id);
            deployTokens.add(token);
            return new Response(201, token);
        });
        server.on("DELETE", tokensPath + "/([0-9]+)", r -> deployTokens.removeIf(t -> t.get("id").asText().equals(r.group(2)))
                ? new Response(204, null) : Response.notFound());
        String keysPath = p + "/projects/([0-9]+)/deploy_keys";
        server.on("GET", keysPath, r -> Response.ok(keys));
        server.on("POST", keysPath, r -> {
            Response bad = server.checkFields(r, List.of("title", "key"), List.of("can_push", "expires_at"));
            if (bad != null) {
                return bad;
            }
            ObjectNode key = ProviderServer.JSON.createObjectNode();
            key.put("id", nextKeyId++);
            key.put("title", r.body().get("title").asText());
            key.put("key", r.body().get("key").asText());
            key.put("can_push", r.body().path("can_push").asBoolean(false));
            keys.add(key);
            onKeyAdded.accept(key.get("key").asText());
            return new Response(201, key);
        });
        server.on("DELETE", keysPath + "/([0-9]+)", r -> keys.removeIf(k -> k.get("id").asText().equals(r.group(2)))
                ? new Response(204, null) : Response.notFound());
    }

    ObjectNode existing(String namespace, String path, String visibility, String cloneUrl, String sshUrl) {
        ObjectNode project = ProviderServer.JSON.createObjectNode();
        project.put("id", projects.size() + 100);
        project.put("name", path);
        project.put("path_with_namespace", namespace + "/" + path);
        project.put("visibility", visibility);
        project.put("web_url", "https://" + server.host() + "/" + namespace + "/" + path);
        project.put("http_url_to_repo", cloneUrl);
        project.put("ssh_url_to_repo", sshUrl);
        project.putArray("shared_with_groups");
        projects.put(namespace + "/" + path, project);
        return project;
    }

    private ObjectNode project(String idOrPath) {
        String key = decode(idOrPath);
        return projects.values().stream().filter(pr -> pr.get("id").asText().equals(key)
                || pr.get("path_with_namespace").asText().equals(key)).findFirst().orElse(null);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
