package io.currents.cli.bootstrap;

import io.currents.cli.output.Progress;

import java.util.Map;

/**
 * Gitea's REST API v1 ({@code https://<host>/api/v1}, the token in {@code Authorization: token …}); teams get access
 * through {@code PUT /repos/{owner}/{repo}/teams/{team}}, with the team's own permission (Gitea has no per-repository
 * team permission).
 */
final class GiteaApi extends GitHubStyleApi {

    static final String DEFAULT_HOST = "gitea.com";

    GiteaApi(String hostname, String token, String ca, Progress progress) {
        super("https://" + hostname + "/api/v1", Map.of("Authorization", "token " + token), ca, progress);
    }

    @Override
    void reconcileTeams(Repository repository, Map<String, String> teams, boolean reconcile) {
        for (String team : teams.keySet()) {
            String path = "/repos/" + repository.id() + "/teams/" + encode(team);
            if (get(path) != null) {
                continue;
            }
            send("PUT", path, null);
            progress.success("granted access to \"" + team + "\"");
        }
    }
}
