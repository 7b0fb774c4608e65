package io.currents.cli.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import io.currents.cli.output.Progress;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The repository and deploy-key calls GitHub's API v3 and Gitea's API v1 share (Gitea's follows GitHub's):
 * {@code GET /repos/{owner}/{repo}}, {@code POST /user/repos} or {@code /orgs/{org}/repos} with {@code name} and
 * {@code private}, {@code PATCH} of {@code private}, and {@code /repos/{owner}/{repo}/keys} with {@code title},
 * {@code key}, {@code read_only}.
 */
abstract class GitHubStyleApi extends ProviderApi {

    GitHubStyleApi(String base, Map<String, String> headers, String ca, Progress progress) {
        super(base, headers, ca, progress);
    }

    @Override
    Repository reconcileRepository(RepositorySpec spec) {
        String id = encode(spec.owner()) + "/" + encode(spec.name());
        boolean wantPrivate = !"public".equals(spec.visibility());
        JsonNode repo = get("/repos/" + id);
        if (repo == null) {
            if (spec.personal()) {
                String login = send("GET", "/user", null).path("login").asText();
                if (!login.equalsIgnoreCase(spec.owner())) {
                    throw new CliException("the specified owner '" + spec.owner()
                            + "' doesn't match the identity associated with the given token", ExitCodes.FAILURE);
                }
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", spec.name());
            body.put("private", wantPrivate);
            repo = send("POST", spec.personal() ? "/user/repos" : "/orgs/" + encode(spec.owner()) + "/repos", body);
            progress.success("repository \"" + repo.path("html_url").asText() + "\" created");
        } else if (spec.reconcile() && repo.path("private").asBoolean() != wantPrivate) {
            repo = send("PATCH", "/repos/" + id, Map.of("private", wantPrivate));
            progress.success("repository \"" + repo.path("html_url").asText() + "\" reconciled");
        }
        return new Repository(id, repo.path("html_url").asText(), repo.path("clone_url").asText(), sshUrl(repo.path("ssh_url").asText()));
    }

    @Override
    boolean reconcileDeployKey(Repository repository, String name, String publicKey, boolean readWrite) {
        return reconcileKeys("/repos/" + repository.id() + "/keys", name, publicKey, "read_only", !readWrite);
    }
}
