package io.currents.notification.controller;

import io.currents.api.notification.v1.Receiver;
import io.currents.api.notification.v1beta3.Alert;
import io.currents.api.notification.v1beta3.Provider;
import io.currents.runtime.operator.WatchLabelSelector;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * In-memory caches (informers) of the Alerts, Providers and Receivers of all namespaces, read for every incoming event
 * and webhook call instead of asking the API server each time.
 */
@ApplicationScoped
public class NotificationObjects {

    static final String WEBHOOK_PATH_INDEX = "webhookPath";

    @Inject
    KubernetesClient client;

    @Inject
    WatchLabelSelector watchLabelSelector;

    private volatile SharedIndexInformer<Alert> alerts;
    private volatile SharedIndexInformer<Provider> providers;
    private volatile SharedIndexInformer<Receiver> receivers;
    private final java.util.concurrent.CountDownLatch listed = new java.util.concurrent.CountDownLatch(1);

    /** Starts the informers; each call returns once the initial list is in the cache. */
    void start(@Observes StartupEvent event) {
        alerts = client.resources(Alert.class).inAnyNamespace().inform();
        providers = client.resources(Provider.class).inAnyNamespace().inform();
        // A shard serves the webhooks of the Receivers it reconciles; Alerts and Providers are not reconciled, so every
        // controller reads all of them (events reach the one notification-controller the others post to).
        var allReceivers = client.resources(Receiver.class).inAnyNamespace();
        SharedIndexInformer<Receiver> r = watchLabelSelector.selector().map(s -> allReceivers.withLabelSelector(s))
                .orElse(allReceivers).runnableInformer(0);
        r.addIndexers(Map.of(WEBHOOK_PATH_INDEX, receiver -> receiver.getStatus() == null || receiver.getStatus().getWebhookPath() == null
                ? List.of() : List.of(receiver.getStatus().getWebhookPath())));
        r.run();
        receivers = r;
        listed.countDown();
    }

    /**
     * Waits (at most {@code timeout}) until the Alerts and Providers have been listed: the events endpoint listens
     * before start-up ends, and an event routed against an empty cache would match no Alert and be finished unsent.
     */
    boolean awaitListed(java.time.Duration timeout) throws InterruptedException {
        return listed.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        for (SharedIndexInformer<?> informer : new SharedIndexInformer<?>[]{alerts, providers, receivers}) {
            if (informer != null) {
                informer.stop();
            }
        }
    }

    /** All Alerts the cache holds. */
    public List<Alert> alerts() {
        return alerts == null ? List.of() : alerts.getStore().list();
    }

    public Optional<Alert> alert(String namespace, String name) {
        return alerts == null ? Optional.empty() : Optional.ofNullable(alerts.getStore().getByKey(namespace + "/" + name));
    }

    public Optional<Provider> provider(String namespace, String name) {
        if (providers == null) {
            return Optional.empty();
        }
        Provider cached = providers.getStore().getByKey(namespace + "/" + name);
        return Optional.ofNullable(cached);
    }

    /**
     * The Receiver whose status announces this webhook path, from the informer's index only: the path comes from the
     * internet, so an unknown one must cost no API call (the informer sees a new Receiver's status within moments).
     */
    public Optional<Receiver> receiverFor(String webhookPath) {
        if (receivers == null) {
            return Optional.empty();
        }
        List<Receiver> cached = receivers.getIndexer().byIndex(WEBHOOK_PATH_INDEX, webhookPath);
        return cached.isEmpty() ? Optional.empty() : Optional.of(cached.get(0));
    }
}
