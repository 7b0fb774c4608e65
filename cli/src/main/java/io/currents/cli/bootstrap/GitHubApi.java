package io.currents.cli.bootstrap;

import io.currents.cli.output.Progress;

import java.util.Map;

/**
 * GitHub's REST API v3 ({@code api.github.com}, or {@code https://<host>/api/v3} for GitHub Enterprise Server); teams
 * get access through {@code PUT /orgs/{org}/teams/{team}/repos/{owner}/{repo}} with a {@code permission}.
 */
final class GitHubApi extends GitHubStyleApi {

    static final String DEFAULT_HOST = "github.com";

    GitHubApi(String hostname, String token, String ca, Progress progress) {
        super(DEFAULT_HOST.equals(hostname) ? "https://api.github.com" : "https://" + hostname + "/api/v3",
                Map.of("Authorization", "Bearer " + token, "Accept", "application/vnd.github+json",
                        "X-GitHub-Api-Version", "2022-11-28"), ca, progress);
    }

    @Override
    void reconcileTeams(Repository repository, Map<String, String> teams, boolean reconcile) {
        String org = repository.id().substring(0, repository.id().indexOf('/'));
        for (var team : teams.entrySet()) {
            String path = "/orgs/" + org + "/teams/" + encode(team.getKey()) + "/repos/" + repository.id();
            if (!reconcile && get(path) != null) {
                continue;
            }
            send("PUT", path, Map.of("permission", team.getValue()));
            progress.success("granted \"" + team.getValue() + "\" permissions to \"" + team.getKey() + "\"");
        }
    }
}
