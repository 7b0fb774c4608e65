package io.currents.notification.controller;

import com.fasterxml.jackson.databind.JsonNode;
import io.currents.runtime.events.FluxEvent;

/**
 * The {@code giteapullrequestcomment} provider: one comment per object on the Gitea pull request named by the event's
 * {@code change_request} metadata, posted by the token's user ({@code GET /user}); the user's comment carrying the
 * object's marker is edited ({@code PATCH /repos/<o>/<r>/issues/comments/<id>}), otherwise one is created.
 */
final class GiteaPullRequestComment implements Notifier {

    private final Delivery delivery;
    private final GiteaApi gitea;
    private final ChangeRequestComment comment;

    GiteaPullRequestComment(ProviderSettings settings, Delivery delivery) throws DispatchException {
        this.comment = new ChangeRequestComment("flux-pr-comment-key", settings.uid());
        this.gitea = new GiteaApi(settings, delivery);
        this.delivery = delivery;
    }

    @Override
    public void send(FluxEvent event) throws DispatchException, InterruptedException {
        long number = ChangeRequestComment.number(event);
        String username = gitea.read(gitea.call("GET", "/user", null).build()).path("login").asText();
        String marker = comment.marker(event);
        var body = delivery.json.createObjectNode().put("body", comment.body(event));
        JsonNode comments = gitea.read(gitea.repo("GET", "/issues/" + number + "/comments?page=1&limit=100", null).build());
        if (comments != null && comments.isArray()) {
            for (JsonNode c : comments) {
                if (username.equals(c.path("user").path("login").asText()) && c.path("body").asText().contains(marker)) {
                    delivery.send(gitea.repo("PATCH", "/issues/comments/" + c.path("id").asLong(), body).build());
                    return;
                }
            }
        }
        delivery.send(gitea.repo("POST", "/issues/" + number + "/comments", body).build());
    }
}
