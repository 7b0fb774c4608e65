package io.currents.cli.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import io.currents.cli.output.Progress;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Bitbucket Server's (Data Center's) REST API 1.0 ({@code https://<host>/rest/api/1.0}, HTTP basic authentication with
 * the user name and the access token): repositories of a project ({@code /projects/{key}/repos}) or of a user (project
 * {@code ~user}), group permissions ({@code /projects/{key}/repos/{slug}/permissions/groups}) and access keys
 * ({@code /rest/keys/1.0/projects/{key}/repos/{slug}/ssh}, {@code REPO_READ} or {@code REPO_WRITE}).
 */
final class BitbucketServerApi extends ProviderApi {

    /** go-git-providers' mapping of repository permissions to Bitbucket Server's. */
    private static final Map<String, String> PERMISSIONS = Map.of("pull", "REPO_READ", "push", "REPO_WRITE", "admin", "REPO_ADMIN");

    private final String keysBase;

    BitbucketServerApi(String hostname, String username, String token, String ca, Progress progress) {
        super("https://" + hostname + "/rest", Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                (username + ":" + token).getBytes(StandardCharsets.UTF_8))), ca, progress);
        this.keysBase = "/keys/1.0";
    }

    @Override
    Repository reconcileRepository(RepositorySpec spec) {
        String project = spec.personal() ? "~" + spec.owner() : spec.owner();
        if (!spec.personal() && get("/api/1.0/projects/" + encode(project)) == null) {
            throw new CliException("the Bitbucket Server project \"" + project + "\" does not exist or the token cannot see it",
                    ExitCodes.FAILURE);
        }
        String slug = spec.name().toLowerCase(Locale.ROOT).replace(' ', '-');
        String path = "/api/1.0/projects/" + encode(project) + "/repos/" + encode(slug);
        boolean wantPublic = "public".equals(spec.visibility());
        JsonNode repo = get(path);
        if (repo == null) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", spec.name());
            body.put("scmId", "git");
            body.put("public", wantPublic);
            repo = send("POST", "/api/1.0/projects/" + encode(project) + "/repos", body);
            progress.success("repository \"" + project + "/" + slug + "\" created");
        } else if (spec.reconcile() && repo.path("public").asBoolean() != wantPublic) {
            repo = send("PUT", path, Map.of("public", wantPublic));
            progress.success("repository \"" + project + "/" + slug + "\" reconciled");
        }
        String http = null;
        String ssh = null;
        for (JsonNode link : repo.path("links").path("clone")) {
            if ("http".equals(link.path("name").asText())) {
                http = withoutUser(link.path("href").asText());
            } else if ("ssh".equals(link.path("name").asText())) {
                ssh = link.path("href").asText();
            }
        }
        if (http == null || ssh == null) {
            throw new CliException("Bitbucket Server did not give the http and ssh clone links of " + project + "/" + slug, ExitCodes.FAILURE);
        }
        return new Repository(encode(project) + "/repos/" + encode(slug), project + "/" + slug, http, ssh);
    }

    @Override
    void reconcileTeams(Repository repository, Map<String, String> teams, boolean reconcile) {
        String path = "/api/1.0/projects/" + repository.id() + "/permissions/groups";
        for (var team : teams.entrySet()) {
            String permission = PERMISSIONS.get(team.getValue());
            if (permission == null) {
                throw new CliException("invalid permission \"" + team.getValue() + "\" for group \"" + team.getKey()
                        + "\": use pull, push or admin", ExitCodes.USAGE);
            }
            boolean granted = false;
            for (JsonNode grant : send("GET", path + "?filter=" + encode(team.getKey()), null).path("values")) {
                if (team.getKey().equals(grant.path("group").path("name").asText())) {
                    granted = !reconcile || permission.equals(grant.path("permission").asText());
                }
            }
            if (granted) {
                continue;
            }
            send("PUT", path + "?permission=" + permission + "&name=" + encode(team.getKey()), null);
            progress.success("granted \"" + permission + "\" permissions to \"" + team.getKey() + "\"");
        }
    }

    @Override
    boolean reconcileDeployKey(Repository repository, String name, String publicKey, boolean readWrite) {
        String keys = keysBase + "/projects/" + repository.id() + "/ssh";
        String permission = readWrite ? "REPO_WRITE" : "REPO_READ";
        for (JsonNode access : send("GET", keys, null).path("values")) {
            JsonNode key = access.path("key");
            if (!name.equals(key.path("label").asText())) {
                continue;
            }
            if (keyMaterial(key.path("text").asText()).equals(keyMaterial(publicKey)) && permission.equals(access.path("permission").asText())) {
                return false;
            }
            send("DELETE", keys + "/" + key.path("id").asLong(), null);
        }
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("text", publicKey);
        key.put("label", name);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", key);
        body.put("permission", permission);
        send("POST", keys, body);
        return true;
    }

    /** {@code https://user@host/scm/…} without the user: the credentials go in the Secret, not the URL. */
    private static String withoutUser(String href) {
        int scheme = href.indexOf("://");
        int at = href.indexOf('@');
        int slash = href.indexOf('/', scheme + 3);
        return scheme > 0 && at > scheme && (slash < 0 || at < slash) ? href.substring(0, scheme + 3) + href.substring(at + 1) : href;
    }
}
