package io.currents.notification.controller;

import io.currents.api.notification.v1beta3.Alert;
import io.currents.api.notification.v1beta3.Provider;

import java.util.Set;

/** Builds the {@link Notifier} for a Provider's type: every type of Flux v2.9's Provider API. */
final class Notifiers {

    static final String ROCKET = "rocket";
    static final String GOOGLE_CHAT = "googlechat";
    static final String GOOGLE_PUBSUB = "googlepubsub";
    static final String WEBEX = "webex";
    static final String SENTRY = "sentry";
    static final String AZURE_EVENT_HUB = "azureeventhub";
    static final String TELEGRAM = "telegram";
    static final String LARK = "lark";
    static final String MATRIX = "matrix";
    static final String OPSGENIE = "opsgenie";
    static final String ALERTMANAGER = "alertmanager";
    static final String GRAFANA = "grafana";
    static final String GITHUB_DISPATCH = "githubdispatch";
    static final String PAGERDUTY = "pagerduty";
    static final String DATADOG = "datadog";
    static final String NATS = "nats";
    static final String ZULIP = "zulip";
    static final String OTEL = "otel";
    static final String GITHUB_PR_COMMENT = "githubpullrequestcomment";
    static final String GITLAB_MR_COMMENT = "gitlabmergerequestcomment";
    static final String GITEA_PR_COMMENT = "giteapullrequestcomment";

    /** Provider types that set Git commit statuses (Flux's {@code isCommitStatusProvider}). */
    static final Set<String> COMMIT_STATUS_TYPES = Set.of(Provider.TYPE_GITHUB, Provider.TYPE_GITLAB, Provider.TYPE_GITEA,
            Provider.TYPE_BITBUCKET, Provider.TYPE_BITBUCKET_SERVER, Provider.TYPE_AZURE_DEVOPS);

    /** Provider types that comment on pull and merge requests (Flux's {@code isChangeRequestProvider}). */
    static final Set<String> CHANGE_REQUEST_TYPES = Set.of(GITHUB_PR_COMMENT, GITLAB_MR_COMMENT, GITEA_PR_COMMENT);

    /** Types that authenticate with GitHub's API, as a token or a GitHub App (whose Secret may carry TLS keys too). */
    static final Set<String> GITHUB_APP_TYPES = Set.of(Provider.TYPE_GITHUB, GITHUB_DISPATCH, GITHUB_PR_COMMENT);

    /** The generic types, which forward commit-status events as they are. */
    static final Set<String> GENERIC_TYPES = Set.of(Provider.TYPE_GENERIC, Provider.TYPE_GENERIC_HMAC);

    /** Settings of the controller that some types need: fixed APIs and the controller's own cloud identity. */
    record Environment(String telegramApi, String bitbucketApi, String pubsubEmulatorHost, AzureCredentials azure) {
    }

    private Notifiers() {
    }

    static Notifier create(Delivery delivery, String commitStatus, Alert alert, Environment env) throws DispatchException {
        ProviderSettings s = delivery.settings();
        return switch (s.type()) {
            case Provider.TYPE_GENERIC -> new GenericWebhook(s, delivery, false);
            case Provider.TYPE_GENERIC_HMAC -> new GenericWebhook(s, delivery, true);
            case Provider.TYPE_SLACK -> new SlackMessage(s, delivery);
            case Provider.TYPE_DISCORD -> new DiscordMessage(s, delivery);
            case ROCKET -> new RocketMessage(s, delivery);
            case Provider.TYPE_MSTEAMS -> new TeamsMessage(s, delivery);
            case GOOGLE_CHAT -> new GoogleChatCard(s, delivery);
            case GOOGLE_PUBSUB -> new GooglePubSubPublisher(s, delivery, env.pubsubEmulatorHost());
            case WEBEX -> new WebexMessage(s, delivery);
            case SENTRY -> new SentryEvent(s, delivery);
            case AZURE_EVENT_HUB -> new AzureEventHubPublisher(s, delivery, env.azure());
            case TELEGRAM -> new TelegramMessage(s, delivery, env.telegramApi());
            case LARK -> new LarkCard(s, delivery);
            case MATRIX -> new MatrixMessage(s, delivery);
            case OPSGENIE -> new OpsgenieAlert(s, delivery);
            case ALERTMANAGER -> new AlertmanagerAlert(s, delivery);
            case GRAFANA -> new GrafanaAnnotation(s, delivery);
            case PAGERDUTY -> new PagerDutyEvent(s, delivery);
            case DATADOG -> new DataDogEvent(s, delivery);
            case NATS -> new NatsPublisher(s, delivery);
            case ZULIP -> new ZulipMessage(s, delivery);
            case OTEL -> new OtelTrace(s, delivery, alert);
            case Provider.TYPE_GITHUB -> new GitHubCommitStatus(s, delivery, commitStatus);
            case GITHUB_DISPATCH -> new GitHubDispatch(s, delivery);
            case GITHUB_PR_COMMENT -> new GitHubPullRequestComment(s, delivery);
            case Provider.TYPE_GITLAB -> new GitLabCommitStatus(s, delivery, commitStatus);
            case GITLAB_MR_COMMENT -> new GitLabMergeRequestComment(s, delivery);
            case Provider.TYPE_GITEA -> new GiteaCommitStatus(s, delivery, commitStatus);
            case GITEA_PR_COMMENT -> new GiteaPullRequestComment(s, delivery);
            case Provider.TYPE_BITBUCKET -> new BitbucketCommitStatus(s, delivery, commitStatus, env.bitbucketApi());
            case Provider.TYPE_BITBUCKET_SERVER -> new BitbucketServerCommitStatus(s, delivery, commitStatus);
            case Provider.TYPE_AZURE_DEVOPS -> new AzureDevOpsCommitStatus(s, delivery, commitStatus, env.azure());
            default -> throw new DispatchException("provider " + s.type() + " not supported");
        };
    }
}
