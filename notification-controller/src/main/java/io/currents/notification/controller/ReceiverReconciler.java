package io.currents.notification.controller;

import io.currents.api.notification.v1.Receiver;
import io.currents.api.notification.v1.ReceiverStatus;
import io.currents.runtime.operator.ManagedFieldsFreeStore;
import io.currents.runtime.reconcile.Conditions;
import io.currents.runtime.reconcile.ConfigDependencyWatch;
import io.currents.runtime.reconcile.FluxReconciler;
import io.currents.runtime.reconcile.FluxUpdateFilter;
import io.currents.runtime.reconcile.Ready;
import io.currents.runtime.reconcile.ReconcileFailure;
import io.currents.runtime.reconcile.Reconciliation;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;

import java.util.List;

/**
 * Reconciles a Receiver: checks its spec ({@link ReceiverChecks}: Stalled with InvalidCELExpression or ValidationFailed
 * until it changes), reads its token, publishes {@code status.webhookPath} and marks it Ready (Succeeded), or
 * Ready=False with TokenNotFound when the Secret is missing or has no token, retried with backoff.
 */
@ControllerConfiguration(name = "receiver",
        informer = @Informer(onUpdateFilter = FluxUpdateFilter.class, itemStore = ManagedFieldsFreeStore.class))
public class ReceiverReconciler extends FluxReconciler<Receiver, ReceiverStatus> {

    @ConfigProperty(name = ConfigDependencyWatch.SELECTOR_PROPERTY, defaultValue = ConfigDependencyWatch.DEFAULT_SELECTOR)
    String watchConfigsLabelSelector;

    /**
     * A token Secret labelled {@code reconcile.fluxcd.io/watch: Enabled} reconciles its Receivers when it changes, so
     * {@code status.webhookPath} follows a new token at once (as in Flux).
     */
    @Override
    public List<EventSource<?, Receiver>> prepareEventSources(EventSourceContext<Receiver> context) {
        return ConfigDependencyWatch.eventSources(Receiver.class, context, watchConfigsLabelSelector, receiver -> receiver.getSpec() == null
                || receiver.getSpec().getSecretRef() == null ? List.of()
                : List.of(new ConfigDependencyWatch.Reference("Secret", receiver.getSpec().getSecretRef().getName())));
    }

    @Override
    protected ReceiverStatus newStatus() {
        return new ReceiverStatus();
    }

    @Override
    protected Ready steps(Reconciliation<Receiver, ReceiverStatus> r) throws ReconcileFailure {
        Receiver receiver = r.object();
        try {
            ReceiverChecks.check(receiver);
        } catch (ReceiverChecks.InvalidSpec e) {
            // terminal until the spec changes (Flux's markTerminal): Stalled, no retry; the webhook answers 503
            throw ReconcileFailure.stalled(e.reason, e.getMessage());
        }
        String token = ReceiverToken.read(client, receiver);
        String path = ReceiverToken.webhookPath(token, receiver.getMetadata().getName(), receiver.getMetadata().getNamespace());
        r.status().setWebhookPath(path);
        return Ready.of(Conditions.SUCCEEDED, "Receiver initialized for path: " + path);
    }
}
