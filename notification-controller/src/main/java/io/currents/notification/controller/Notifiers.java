package io.currents.notification.controller;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.currents.api.notification.v1beta3.Provider;

import java.time.Duration;
import java.util.Set;

/** Builds the {@link Notifier} for a Provider's type. */
final class Notifiers {

    /** Provider types that set Git commit statuses; events marked {@code commit_status: update} go only to them. */
    static final Set<String> COMMIT_STATUS_TYPES = Set.of(Provider.TYPE_GITHUB, Provider.TYPE_GITLAB, Provider.TYPE_GITEA,
            Provider.TYPE_BITBUCKET, Provider.TYPE_BITBUCKET_SERVER, Provider.TYPE_AZURE_DEVOPS);

    private Notifiers() {
    }

    static Notifier create(ProviderSettings settings, ObjectMapper json, int retries, Duration backoff) throws DispatchException {
        Delivery delivery = new Delivery(settings, retries, backoff);
        return switch (settings.type()) {
            case Provider.TYPE_GENERIC -> new GenericWebhook(settings, delivery, json, false);
            case Provider.TYPE_GENERIC_HMAC -> new GenericWebhook(settings, delivery, json, true);
            case Provider.TYPE_SLACK -> new SlackMessage(settings, delivery, json, false);
            case Provider.TYPE_DISCORD -> new SlackMessage(settings, delivery, json, true);
            case Provider.TYPE_MSTEAMS -> new TeamsCard(settings, delivery, json);
            case Provider.TYPE_GITHUB -> new GitHubCommitStatus(settings, delivery, json);
            case Provider.TYPE_GITLAB -> new GitLabCommitStatus(settings, delivery, json);
            default -> throw new DispatchException("provider type '" + settings.type()
                    + "' is not implemented by Currents (see docs/notification-controller.md)");
        };
    }
}
