package io.currents.cli.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import io.currents.cli.output.Progress;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GitLab's REST API v4 ({@code https://<host>/api/v4}, the token in {@code PRIVATE-TOKEN}): projects by their
 * URL-encoded path ({@code /projects/{group%2Fname}}), created in the user's namespace or a group's
 * ({@code namespace_id}), shared with groups ({@code /projects/{id}/share}) and deploy keys
 * ({@code /projects/{id}/deploy_keys} with {@code title}, {@code key}, {@code can_push}).
 */
final class GitLabApi extends ProviderApi {

    static final String DEFAULT_HOST = "gitlab.com";

    /** go-git-providers' mapping of repository permissions to GitLab access levels. */
    private static final Map<String, Integer> ACCESS_LEVELS = Map.of("pull", 10, "triage", 20, "push", 30, "maintain", 40, "admin", 50);

    GitLabApi(String hostname, String token, String ca, Progress progress) {
        super("https://" + hostname + "/api/v4", Map.of("PRIVATE-TOKEN", token), ca, progress);
    }

    @Override
    Repository reconcileRepository(RepositorySpec spec) {
        String fullPath = spec.owner() + "/" + spec.name();
        JsonNode project = get("/projects/" + encode(fullPath));
        if (project == null) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", spec.name());
            body.put("path", spec.name());
            if (spec.personal()) {
                String login = send("GET", "/user", null).path("username").asText();
                if (!login.equalsIgnoreCase(spec.owner())) {
                    throw new CliException("the specified owner '" + spec.owner()
                            + "' doesn't match the identity associated with the given token", ExitCodes.FAILURE);
                }
            } else {
                body.put("namespace_id", group(spec.owner()).path("id").asLong());
            }
            body.put("visibility", spec.visibility());
            project = send("POST", "/projects", body);
            progress.success("repository \"" + project.path("web_url").asText() + "\" created");
        } else if (spec.reconcile() && !spec.visibility().equals(project.path("visibility").asText())) {
            project = send("PUT", "/projects/" + project.path("id").asLong(), Map.of("visibility", spec.visibility()));
            progress.success("repository \"" + project.path("web_url").asText() + "\" reconciled");
        }
        return new Repository(String.valueOf(project.path("id").asLong()), project.path("web_url").asText(),
                project.path("http_url_to_repo").asText(), sshUrl(project.path("ssh_url_to_repo").asText()));
    }

    @Override
    void reconcileTeams(Repository repository, Map<String, String> teams, boolean reconcile) {
        JsonNode shared = send("GET", "/projects/" + repository.id(), null).path("shared_with_groups");
        for (var team : teams.entrySet()) {
            Integer level = ACCESS_LEVELS.get(team.getValue());
            if (level == null) {
                throw new CliException("invalid permission \"" + team.getValue() + "\" for team \"" + team.getKey()
                        + "\": use pull, triage, push, maintain or admin", ExitCodes.USAGE);
            }
            JsonNode existing = null;
            for (JsonNode s : shared) {
                if (team.getKey().equals(s.path("group_full_path").asText())) {
                    existing = s;
                }
            }
            if (existing != null && (!reconcile || existing.path("group_access_level").asInt() == level)) {
                continue;
            }
            long groupId = group(team.getKey()).path("id").asLong();
            if (existing != null) {
                send("DELETE", "/projects/" + repository.id() + "/share/" + groupId, null);
            }
            send("POST", "/projects/" + repository.id() + "/share", Map.of("group_id", groupId, "group_access", level));
            progress.success("granted \"" + team.getValue() + "\" permissions to \"" + team.getKey() + "\"");
        }
    }

    @Override
    boolean reconcileDeployKey(Repository repository, String name, String publicKey, boolean readWrite) {
        return reconcileKeys("/projects/" + repository.id() + "/deploy_keys", name, publicKey, "can_push", readWrite);
    }

    /** A project deploy token: the user name GitLab made for it and its secret value. */
    record DeployToken(String username, String token) {
    }

    /**
     * The deploy token {@code name} with {@code read_repository} scope, created when missing; one that exists is kept
     * (null: its value cannot be read again) unless {@code renew}, when it is revoked and made anew.
     */
    DeployToken reconcileDeployToken(Repository repository, String name, boolean renew) {
        String tokens = "/projects/" + repository.id() + "/deploy_tokens";
        for (JsonNode token : send("GET", tokens, null)) {
            if (name.equals(token.path("name").asText()) && !token.path("revoked").asBoolean() && !token.path("expired").asBoolean()) {
                if (!renew) {
                    return null;
                }
                send("DELETE", tokens + "/" + token.path("id").asLong(), null);
            }
        }
        JsonNode created = send("POST", tokens, Map.of("name", name, "scopes", java.util.List.of("read_repository")));
        return new DeployToken(created.path("username").asText(), created.path("token").asText());
    }

    private JsonNode group(String fullPath) {
        JsonNode group = get("/groups/" + encode(fullPath));
        if (group == null) {
            throw new CliException("the GitLab group \"" + fullPath + "\" does not exist or the token cannot see it", ExitCodes.FAILURE);
        }
        return group;
    }
}
