package io.currents.notification.controller;

import com.fasterxml.jackson.databind.JsonNode;
import io.currents.runtime.events.FluxEvent;

/**
 * The {@code gitlabmergerequestcomment} provider: one note per object on the merge request whose IID is the event's
 * {@code change_request} metadata, written by the token's user: the notes are listed, the user's note carrying the
 * object's marker is updated ({@code PUT .../merge_requests/<iid>/notes/<id>}), otherwise a note is created.
 */
final class GitLabMergeRequestComment implements Notifier {

    private final Delivery delivery;
    private final GitLabApi gitlab;
    private final ChangeRequestComment comment;

    GitLabMergeRequestComment(ProviderSettings settings, Delivery delivery) throws DispatchException {
        this.comment = new ChangeRequestComment("flux-mr-comment-key", settings.uid());
        this.gitlab = new GitLabApi(settings, delivery);
        this.delivery = delivery;
    }

    @Override
    public void send(FluxEvent event) throws DispatchException, InterruptedException {
        long iid = ChangeRequestComment.number(event);
        String username = gitlab.username();
        String marker = comment.marker(event);
        var body = delivery.json.createObjectNode().put("body", comment.body(event));
        JsonNode notes = gitlab.read(gitlab.project("GET", "/merge_requests/" + iid + "/notes?order_by=created_at&per_page=100&sort=asc", null).build());
        if (notes != null && notes.isArray()) {
            for (JsonNode n : notes) {
                if (username.equals(n.path("author").path("username").asText()) && n.path("body").asText().contains(marker)) {
                    delivery.send(gitlab.project("PUT", "/merge_requests/" + iid + "/notes/" + n.path("id").asLong(), body).build());
                    return;
                }
            }
        }
        delivery.send(gitlab.project("POST", "/merge_requests/" + iid + "/notes", body).build());
    }
}
