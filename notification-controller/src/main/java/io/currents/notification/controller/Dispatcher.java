package io.currents.notification.controller;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.currents.api.notification.v1.Receiver;
import io.currents.api.notification.v1beta3.Alert;
import io.currents.api.notification.v1beta3.Provider;
import io.currents.runtime.cel.CelException;
import io.currents.runtime.cel.CelExpression;
import io.currents.runtime.events.EventRecorder;
import io.currents.runtime.events.FluxEvent;
import io.currents.runtime.net.InternalDestinations;
import io.currents.runtime.reconcile.FluxDuration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The end of the event pipeline: delivers each {@link Dispatch} to its Alert's Provider on a pool of its own, many at
 * once, so that a slow or failing Provider (retried, then dropped) never holds up the others. It applies Flux's
 * per-provider rules first (suspended Providers, commit-status events only for Git and generic providers, commit-status
 * providers only for events with a commit, change-request providers only for events naming one), combines the metadata,
 * computes the commit status identifier ({@code spec.commitStatusExpr} or Flux's default), and records a failure as a
 * Warning event on the Alert; secrets in an error message are masked.
 */
@ApplicationScoped
public class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    NotificationObjects objects;
    @Inject
    KubernetesClient client;
    @Inject
    EventRecorder recorder;
    @Inject
    MeterRegistry meters;

    @ConfigProperty(name = "dispatch-retries", defaultValue = "4")
    int retries;
    @ConfigProperty(name = "dispatch-retry-backoff", defaultValue = "1s")
    String backoff;
    @ConfigProperty(name = "telegram-api-url", defaultValue = "https://api.telegram.org")
    String telegramApi;
    @ConfigProperty(name = "BITBUCKET_API_BASE_URL", defaultValue = "https://api.bitbucket.org/2.0")
    String bitbucketApi;
    @ConfigProperty(name = "PUBSUB_EMULATOR_HOST")
    Optional<String> pubsubEmulator;
    @ConfigProperty(name = "AZURE_CLIENT_ID")
    Optional<String> azureClientId;
    @ConfigProperty(name = "AZURE_TENANT_ID")
    Optional<String> azureTenantId;
    @ConfigProperty(name = "AZURE_FEDERATED_TOKEN_FILE")
    Optional<String> azureTokenFile;
    @ConfigProperty(name = "AZURE_AUTHORITY_HOST")
    Optional<String> azureAuthorityHost;

    @ConfigProperty(name = "no-internal-destinations", defaultValue = "false")
    boolean noInternalDestinations;

    private Notifiers.Environment environment;
    private java.util.function.Function<String, String> destinations;

    @PostConstruct
    void init() {
        environment = new Notifiers.Environment(telegramApi, bitbucketApi, pubsubEmulator.orElse(null),
                new AzureCredentials(azureClientId.orElse(null), azureTenantId.orElse(null), azureTokenFile.orElse(null),
                        azureAuthorityHost.orElse(null)));
        destinations = noInternalDestinations ? InternalDestinations.forApiServer(client.getMasterUrl().toString()) : null;
    }

    @Incoming("dispatches")
    @Blocking(value = "notification-dispatch", ordered = false)
    public void deliver(Dispatch dispatch) {
        if (attempt(dispatch)) {
            dispatch.accepted().done();
        }
    }

    /** Delivers (with retries) or gives up; false only when stopped before the delivery finished. */
    private boolean attempt(Dispatch dispatch) {
        Alert alert = dispatch.alert();
        FluxEvent event = dispatch.event();
        String alertKey = alert.getMetadata().getNamespace() + "/" + alert.getMetadata().getName();
        String providerName = alert.getSpec().getProviderRef() == null ? null : alert.getSpec().getProviderRef().getName();
        ProviderSettings settings = null;
        try {
            Provider provider = providerName == null ? null
                    : objects.provider(alert.getMetadata().getNamespace(), providerName).orElse(null);
            if (provider == null) {
                throw new DispatchException("failed to read provider: Provider '" + alert.getMetadata().getNamespace() + "/" + providerName + "' not found");
            }
            String type = provider.getSpec().getType();
            if (Boolean.TRUE.equals(provider.getSpec().getSuspend()) || skipped(alertKey, type, event)) {
                return true;
            }
            if (provider.getSpec().getServiceAccountName() != null && !provider.getSpec().getServiceAccountName().isBlank()) {
                // Flux refuses it too unless its ObjectLevelWorkloadIdentity feature gate (off by default) is on
                throw new DispatchException("to use spec.serviceAccountName for provider authentication please enable the "
                        + "ObjectLevelWorkloadIdentity feature gate in the controller (Currents does not implement it)");
            }
            FluxEvent notification = AlertRules.enrich(alert, event, (key, sources) -> conflict(alert, key, sources));
            String commitStatus = Notifiers.COMMIT_STATUS_TYPES.contains(type) ? commitStatus(provider, alert, notification) : null;
            settings = ProviderSettings.resolve(client, provider);
            Delivery delivery = new Delivery(settings, retries, FluxDuration.parse(backoff), JSON, destinations);
            delivery.checkDestination("the provider's address", addressHost(settings.address()));
            Notifiers.create(delivery, commitStatus, alert, environment).send(notification);
            meters.counter("gotk_notification_sent_total", "type", type).increment();
            LOG.debugf("alert %s: sent %s event of %s/%s/%s to provider %s", alertKey, event.reason(),
                    event.involvedObject().getKind(), event.involvedObject().getNamespace(), event.involvedObject().getName(), providerName);
        } catch (DispatchException e) {
            failed(alert, event, mask(e.getMessage(), settings));
        } catch (InterruptedException e) {
            // stopping: the delivery is not finished, a spooled event is routed again at the next start
            Thread.currentThread().interrupt();
            return false;
        } catch (RuntimeException e) {
            LOG.errorf("alert %s: unexpected failure sending a notification: %s", alertKey, e.getClass().getName());
            LOG.debugf(e, "alert %s: unexpected failure", alertKey);
            failed(alert, event, "unexpected failure: " + e.getClass().getSimpleName());
        }
        return true;
    }

    /** The host of a Provider address that is a URL (webhooks, NATS, Sentry DSN), else null (a Pub/Sub project, a connection string). */
    static String addressHost(String address) {
        if (address == null) {
            return null;
        }
        try {
            return URI.create(address.strip()).getHost();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Flux's rules for events a Provider type does not take. */
    private static boolean skipped(String alertKey, String type, FluxEvent event) {
        Map<String, String> metadata = event.metadata() == null ? Map.of() : event.metadata();
        boolean commitStatusUpdate = EventMetadata.COMMIT_STATUS_UPDATE.equals(metadata.get(EventMetadata.COMMIT_STATUS));
        boolean gitStatus = Notifiers.COMMIT_STATUS_TYPES.contains(type);
        if (!gitStatus && !Notifiers.GENERIC_TYPES.contains(type) && commitStatusUpdate) {
            LOG.debugf("alert %s: commit status update event skipped for %s provider", alertKey, type);
            return true;
        }
        if (gitStatus && !commitStatusUpdate && !FluxEvent.SEVERITY_ERROR.equals(event.severity())
                && (metadata.get(EventMetadata.COMMIT) == null || metadata.get(EventMetadata.COMMIT).isEmpty())) {
            LOG.infof("alert %s: event dropped for commit status providers due to missing commit metadata key", alertKey);
            return true;
        }
        if (Notifiers.CHANGE_REQUEST_TYPES.contains(type)
                && (metadata.get(EventMetadata.CHANGE_REQUEST) == null || metadata.get(EventMetadata.CHANGE_REQUEST).isEmpty())) {
            LOG.debugf("alert %s: event dropped for change request providers due to missing change request metadata key", alertKey);
            return true;
        }
        return false;
    }

    /** The commit status identifier: the Provider's {@code commitStatusExpr} over event, alert and provider, or Flux's default. */
    static String commitStatus(Provider provider, Alert alert, FluxEvent event) throws DispatchException {
        String expression = provider.getSpec().getCommitStatusExpr();
        if (expression == null || expression.isBlank()) {
            return CommitStatus.context(provider.getMetadata().getUid(), event);
        }
        try {
            CelExpression program = CelExpression.compile(expression, CelExpression.Result.STRING, "event", "alert", "provider");
            return program.evaluateString(Map.of(
                    "event", JSON.convertValue(event, Map.class),
                    "alert", JSON.convertValue(alert, Map.class),
                    "provider", JSON.convertValue(provider, Map.class)));
        } catch (CelException e) {
            throw new DispatchException("failed to create commit status: failed to evaluate the spec.commitStatusExpr CEL expression for the event: "
                    + e.getMessage());
        }
    }

    private void conflict(Alert alert, String key, List<String> sources) {
        LOG.infof("alert %s/%s: warning: metadata key conflicts detected (please refer to the Alert API docs and Flux RFC 0008 "
                + "for more information): key '%s' from %s", alert.getMetadata().getNamespace(), alert.getMetadata().getName(), key, sources);
        withKind(alert);
        recorder.warning(alert, Receiver.METADATA_APPEND_FAILED_REASON, "metadata key conflicts detected (please refer to the "
                + "Alert API docs and Flux RFC 0008 for more information)", Map.of(key, String.join(", ", sources)));
    }

    /** Flux's {@code masktoken}: the Secret's token (and password) never reach a log or an event, even quoted in an answer. */
    static String mask(String message, ProviderSettings settings) {
        if (message == null || settings == null) {
            return message;
        }
        List<String> secrets = new ArrayList<>();
        if (settings.token() != null && settings.token().length() >= 4) {
            secrets.add(settings.token());
        }
        if (settings.password() != null && settings.password().length() >= 4) {
            secrets.add(settings.password());
        }
        String masked = message;
        for (String secret : secrets) {
            masked = masked.replace(secret, "*****");
        }
        return masked;
    }

    private void failed(Alert alert, FluxEvent event, String reason) {
        String involved = event.involvedObject().getKind() + "/" + event.involvedObject().getNamespace() + "/" + event.involvedObject().getName();
        String message = "failed to send notification for " + involved + ": " + reason;
        LOG.errorf("alert %s/%s: %s", alert.getMetadata().getNamespace(), alert.getMetadata().getName(), message);
        meters.counter("gotk_notification_failed_total").increment();
        withKind(alert);
        recorder.warning(alert, Receiver.NOTIFICATION_DISPATCH_FAILED_REASON, message, null);
    }

    private static void withKind(Alert alert) {
        if (alert.getApiVersion() == null) {
            alert.setApiVersion("notification.toolkit.fluxcd.io/v1beta3");
            alert.setKind("Alert");
        }
    }
}
