package io.currents.notification.controller;

import com.fasterxml.jackson.databind.JsonNode;
import io.currents.runtime.events.FluxEvent;

/**
 * The {@code githubpullrequestcomment} provider: one comment per object on the pull request named by the event's
 * {@code change_request} metadata, posted by the token's user (or the App's bot) and edited on later events: the
 * comments are listed ({@code GET /repos/<o>/<r>/issues/<n>/comments}), the one by this user carrying the object's
 * marker is updated ({@code PATCH .../issues/comments/<id>}), otherwise a new one is created.
 */
final class GitHubPullRequestComment implements Notifier {

    private final ProviderSettings settings;
    private final Delivery delivery;
    private final ChangeRequestComment comment;

    GitHubPullRequestComment(ProviderSettings settings, Delivery delivery) throws DispatchException {
        this.comment = new ChangeRequestComment("flux-pr-comment-key", settings.uid());
        settings.requireAddress("GitHub repository address");
        this.settings = settings;
        this.delivery = delivery;
    }

    @Override
    public void send(FluxEvent event) throws DispatchException, InterruptedException {
        long number = ChangeRequestComment.number(event);
        GitHubApi github = GitHubApi.connect(settings, delivery, true);
        String login = github.login();
        String marker = comment.marker(event);
        var body = github.object().put("body", comment.body(event));
        JsonNode comments = github.read(github.repo("GET", "/issues/" + number + "/comments?direction=asc&per_page=100&sort=created", null).build());
        for (JsonNode c : comments == null || !comments.isArray() ? github.object().arrayNode() : comments) {
            if (login.equals(c.path("user").path("login").asText()) && c.path("body").asText().contains(marker)) {
                delivery.send(github.repo("PATCH", "/issues/comments/" + c.path("id").asLong(), body).build());
                return;
            }
        }
        delivery.send(github.repo("POST", "/issues/" + number + "/comments", body).build());
    }
}
