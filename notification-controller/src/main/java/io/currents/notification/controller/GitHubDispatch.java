package io.currents.notification.controller;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.currents.runtime.events.FluxEvent;

/**
 * The {@code githubdispatch} provider: a {@code repository_dispatch} event on the repository
 * ({@code POST /repos/<owner>/<repo>/dispatches}) with {@code event_type} {@code <Kind>/<name>.<namespace>} and the Flux
 * event as {@code client_payload}, to trigger GitHub Actions workflows.
 */
final class GitHubDispatch implements Notifier {

    private final ProviderSettings settings;
    private final Delivery delivery;

    GitHubDispatch(ProviderSettings settings, Delivery delivery) throws DispatchException {
        settings.requireAddress("GitHub repository address");
        this.settings = settings;
        this.delivery = delivery;
    }

    @Override
    public void send(FluxEvent event) throws DispatchException, InterruptedException {
        GitHubApi github = GitHubApi.connect(settings, delivery, false);
        var o = event.involvedObject();
        ObjectNode body = github.object();
        body.put("event_type", o.getKind() + "/" + o.getName() + "." + o.getNamespace());
        body.set("client_payload", delivery.json.valueToTree(event));
        delivery.send(github.repo("POST", "/dispatches", body).build());
    }
}
