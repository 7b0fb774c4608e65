package io.currents.notification.controller;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.currents.api.notification.v1.Receiver;
import io.currents.api.notification.v1beta3.Alert;
import io.currents.api.notification.v1beta3.Provider;
import io.currents.runtime.events.EventRecorder;
import io.currents.runtime.reconcile.FluxDuration;
import io.currents.runtime.events.FluxEvent;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;


/**
 * The end of the event pipeline: delivers each {@link Dispatch} to its Alert's Provider on a pool of its own, many at
 * once, so that a slow or failing Provider (retried, then dropped) never holds up the others. A missing or suspended
 * Provider, a bad Secret or a failed delivery is logged and recorded as a Warning event on the Alert.
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

    @Incoming("dispatches")
    @Blocking(value = "notification-dispatch", ordered = false)
    public void deliver(Dispatch dispatch) {
        Alert alert = dispatch.alert();
        FluxEvent event = dispatch.event();
        String alertKey = alert.getMetadata().getNamespace() + "/" + alert.getMetadata().getName();
        String providerName = alert.getSpec().getProviderRef() == null ? null : alert.getSpec().getProviderRef().getName();
        try {
            Provider provider = providerName == null ? null
                    : objects.provider(alert.getMetadata().getNamespace(), providerName).orElse(null);
            if (provider == null) {
                throw new DispatchException("Provider '" + alert.getMetadata().getNamespace() + "/" + providerName + "' not found");
            }
            if (Boolean.TRUE.equals(provider.getSpec().getSuspend())) {
                LOG.debugf("alert %s: provider %s is suspended, not sending", alertKey, providerName);
                return;
            }
            boolean commitStatus = Notifiers.COMMIT_STATUS_TYPES.contains(provider.getSpec().getType());
            if (!commitStatus && EventMetadata.COMMIT_STATUS_UPDATE.equals(event.metadata().get(EventMetadata.COMMIT_STATUS))) {
                LOG.debugf("alert %s: commit status update event skipped for %s provider", alertKey, provider.getSpec().getType());
                return;
            }
            if (commitStatus && !event.metadata().containsKey(EventMetadata.REVISION)) {
                LOG.debugf("alert %s: event without revision skipped for commit status provider", alertKey);
                return;
            }
            Notifier notifier = Notifiers.create(ProviderSettings.resolve(client, provider), JSON, retries, FluxDuration.parse(backoff));
            notifier.send(event);
            meters.counter("gotk_notification_sent_total", "type", provider.getSpec().getType()).increment();
            LOG.debugf("alert %s: sent %s event of %s/%s/%s to provider %s", alertKey, event.reason(),
                    event.involvedObject().getKind(), event.involvedObject().getNamespace(), event.involvedObject().getName(), providerName);
        } catch (DispatchException e) {
            failed(alert, event, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.errorf(e, "alert %s: unexpected failure sending a notification", alertKey);
            failed(alert, event, "unexpected failure: " + e.getClass().getSimpleName());
        }
    }

    private void failed(Alert alert, FluxEvent event, String reason) {
        String involved = event.involvedObject().getKind() + "/" + event.involvedObject().getNamespace() + "/" + event.involvedObject().getName();
        String message = "failed to send notification for " + involved + ": " + reason;
        LOG.errorf("alert %s/%s: %s", alert.getMetadata().getNamespace(), alert.getMetadata().getName(), message);
        meters.counter("gotk_notification_failed_total").increment();
        if (alert.getApiVersion() == null) {
            alert.setApiVersion("notification.toolkit.fluxcd.io/v1beta3");
            alert.setKind("Alert");
        }
        recorder.warning(alert, Receiver.NOTIFICATION_DISPATCH_FAILED_REASON, message, null);
    }

}
