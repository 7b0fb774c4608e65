package io.currents.notification.controller;

import io.currents.api.notification.v1beta3.Alert;
import io.currents.runtime.events.FluxEvent;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Outgoing;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;

/**
 * The middle of the event pipeline: every event from the {@code events} channel becomes one {@link Dispatch} on the
 * {@code dispatches} channel per Alert that wants it ({@link AlertRules}).
 */
@ApplicationScoped
public class AlertRouter {

    private static final Logger LOG = Logger.getLogger(AlertRouter.class);

    @Inject
    NotificationObjects objects;

    @Inject
    KubernetesClient client;

    @ConfigProperty(name = "no-cross-namespace-refs", defaultValue = "false")
    boolean noCrossNamespaceRefs;

    @Incoming("events")
    @Outgoing("dispatches")
    public Multi<Dispatch> route(Multi<AcceptedEvent> events) {
        // label look-ups for "name: *" + matchLabels read the API server: off the event loop
        return events.emitOn(Infrastructure.getDefaultWorkerPool())
                .onItem().transformToIterable(this::dispatchesFor);
    }

    /** One dispatch per matching Alert; the event is finished at once when none matches. */
    List<Dispatch> dispatchesFor(AcceptedEvent accepted) {
        FluxEvent event = accepted.event();
        List<Dispatch> dispatches;
        try {
            if (!objects.awaitListed(java.time.Duration.ofMinutes(2))) {
                LOG.warnf("routing an event before the Alerts were listed (still listing after 2 minutes)");
            }
        } catch (InterruptedException e) {
            // stopping: a spooled event stays for the next start
            Thread.currentThread().interrupt();
            return List.of();
        }
        try {
            dispatches = objects.alerts().stream()
                    .filter(alert -> AlertRules.matches(alert, event, noCrossNamespaceRefs, this::labelsOf))
                    .map(alert -> new Dispatch(alert, event, accepted))
                    .toList();
            if (dispatches.isEmpty()) {
                LOG.debugf("no alert matches the event for %s/%s/%s", event.involvedObject().getKind(),
                        event.involvedObject().getNamespace(), event.involvedObject().getName());
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "could not match alerts for an event of %s/%s/%s", event.involvedObject().getKind(),
                    event.involvedObject().getNamespace(), event.involvedObject().getName());
            dispatches = List.of();
        }
        accepted.expect(dispatches.size());
        return dispatches;
    }

    private Map<String, String> labelsOf(FluxEvent event) {
        var o = event.involvedObject();
        String apiVersion = o.getApiVersion() == null || o.getApiVersion().isEmpty() ? FluxKinds.apiVersionOf(o.getKind()) : o.getApiVersion();
        if (apiVersion == null) {
            return null;
        }
        try {
            GenericKubernetesResource object = client.genericKubernetesResources(apiVersion, o.getKind())
                    .inNamespace(o.getNamespace()).withName(o.getName()).get();
            return object == null ? null : (object.getMetadata().getLabels() == null ? Map.of() : object.getMetadata().getLabels());
        } catch (KubernetesClientException e) {
            LOG.debugf("could not read labels of %s/%s/%s: %s", o.getKind(), o.getNamespace(), o.getName(), e.getMessage());
            return null;
        }
    }

}
