package io.currents.notification.controller;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.currents.api.notification.v1.Receiver;
import io.currents.api.notification.v1.ReceiverStatus;
import io.currents.runtime.Conditions;
import io.currents.runtime.EventRecorder;
import io.currents.runtime.FluxDuration;
import io.currents.runtime.FluxUpdateFilter;
import io.currents.runtime.ManagedFieldsFreeStore;
import io.currents.runtime.ReconcileMetrics;
import io.currents.runtime.ReconcileRequest;
import io.currents.runtime.RequeuePolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Objects;

/**
 * Reconciles a Receiver: checks its spec ({@link ReceiverChecks}: Stalled with InvalidCELExpression or ValidationFailed
 * until it changes), reads its token, publishes {@code status.webhookPath} and marks it Ready (Succeeded), or
 * Ready=False with TokenNotFound when the Secret is missing or has no token, retried with backoff.
 */
@ControllerConfiguration(name = "receiver",
        informer = @Informer(onUpdateFilter = FluxUpdateFilter.class, itemStore = ManagedFieldsFreeStore.class))
public class ReceiverReconciler implements Reconciler<Receiver> {

    private static final Logger LOG = Logger.getLogger(ReceiverReconciler.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    KubernetesClient client;
    @Inject
    EventRecorder events;
    @Inject
    ReconcileMetrics metrics;

    @ConfigProperty(name = "interval-jitter-percentage", defaultValue = "5")
    int jitterPercentage;

    private final Clock clock = Clock.systemUTC();
    private volatile RequeuePolicy requeue;

    @Override
    public UpdateControl<Receiver> reconcile(Receiver receiver, Context<Receiver> context) {
        long started = System.nanoTime();
        ReceiverStatus status = receiver.getStatus() == null ? new ReceiverStatus() : receiver.getStatus();
        if (status.getConditions() == null) {
            status.setConditions(new ArrayList<>());
        }
        ReceiverStatus before = JSON.convertValue(status, ReceiverStatus.class);
        String key = receiver.getMetadata().getNamespace() + "/" + receiver.getMetadata().getName();
        ReconcileRequest.requestedAt(receiver).ifPresent(status::setLastHandledReconcileAt);
        boolean suspended = Boolean.TRUE.equals(receiver.getSpec().getSuspend());
        metrics.recordSuspend(receiver, suspended);
        if (suspended) {
            LOG.debugf("receiver %s is suspended", key);
            return finish(receiver, before, status, null);
        }
        Conditions conditions = Conditions.of(status.getConditions(), receiver.getMetadata().getGeneration(), clock);
        Duration interval = FluxDuration.parseOr(receiver.getSpec().getInterval(), Duration.ofMinutes(10));
        boolean wasReady = Conditions.isTrue(before.getConditions(), Conditions.READY);
        Duration next;
        try {
            ReceiverChecks.check(receiver);
            String token = ReceiverToken.read(client, receiver);
            String path = ReceiverToken.webhookPath(token, receiver.getMetadata().getName(), receiver.getMetadata().getNamespace());
            status.setWebhookPath(path);
            String message = "Receiver initialized for path: " + path;
            conditions.markReady(Conditions.SUCCEEDED, message);
            if (!wasReady || !Objects.equals(before.getWebhookPath(), path)) {
                events.normal(receiver, Conditions.SUCCEEDED, message, null);
            }
            next = requeue().afterSuccess(key, interval);
        } catch (DispatchException e) {
            conditions.markFalse(Conditions.READY, Receiver.TOKEN_NOT_FOUND_REASON, e.getMessage());
            conditions.delete(Conditions.RECONCILING);
            if (!Objects.equals(message(before), e.getMessage())) {
                events.warning(receiver, Receiver.TOKEN_NOT_FOUND_REASON, e.getMessage(), null);
            }
            next = requeue().afterFailure(key, interval);
        } catch (ReceiverChecks.InvalidSpec e) {
            // terminal until the spec changes (Flux's markTerminal): Stalled, no retry; the webhook answers 503
            conditions.markFalse(Conditions.READY, e.reason, e.getMessage());
            conditions.markStalled(e.reason, e.getMessage());
            conditions.delete(Conditions.RECONCILING);
            if (!Objects.equals(message(before), e.getMessage())) {
                events.warning(receiver, e.reason, e.getMessage(), null);
            }
            next = null;
        }
        status.setObservedGeneration(receiver.getMetadata().getGeneration());
        metrics.recordCondition(receiver, status.getConditions(), Conditions.READY, false);
        metrics.recordDuration(receiver, Duration.ofNanos(System.nanoTime() - started));
        return finish(receiver, before, status, next);
    }

    private static String message(ReceiverStatus status) {
        return Conditions.find(status.getConditions(), Conditions.READY).map(c -> c.getMessage()).orElse(null);
    }

    private RequeuePolicy requeue() {
        if (requeue == null) {
            requeue = new RequeuePolicy(jitterPercentage, Duration.ofSeconds(1), Duration.ofMinutes(5));
        }
        return requeue;
    }

    private static UpdateControl<Receiver> finish(Receiver r, ReceiverStatus before, ReceiverStatus after, Duration next) {
        UpdateControl<Receiver> control;
        if (Objects.equals(JSON.valueToTree(before), JSON.valueToTree(after))) {
            control = UpdateControl.noUpdate();
        } else {
            r.setStatus(after);
            r.getMetadata().setManagedFields(null);
            r.getMetadata().setResourceVersion(null);
            control = UpdateControl.patchStatus(r);
        }
        return next == null ? control : control.rescheduleAfter(next);
    }

}
