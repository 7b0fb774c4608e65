package io.currents.ui;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The in-memory view of every Flux object: one informer per Flux kind the cluster serves (discovered from the
 * CustomResourceDefinitions of the {@code *.fluxcd.io} groups), each change summarised once and broadcast to the open
 * pages.
 */
@ApplicationScoped
public class ObjectStore {

    private static final Logger LOG = Logger.getLogger(ObjectStore.class);
    private static final Comparator<ObjectSummary> ORDER = Comparator.comparing(ObjectSummary::namespace)
            .thenComparing(ObjectSummary::kind).thenComparing(ObjectSummary::name);

    @Inject
    KubernetesClient client;

    private final Map<String, FluxKind> kinds = new ConcurrentHashMap<>();
    private final Map<String, ObjectSummary> summaries = new ConcurrentHashMap<>();
    private final Map<String, GenericKubernetesResource> objects = new ConcurrentHashMap<>();
    /** The informer of each Flux kind, by the name of its CustomResourceDefinition. */
    private final Map<String, Watch> watches = new ConcurrentHashMap<>();
    private final List<java.util.concurrent.CompletionStage<Void>> initial = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final BroadcastProcessor<Change> changes = BroadcastProcessor.create();
    private SharedIndexInformer<CustomResourceDefinition> crds;
    private volatile boolean started;
    private volatile List<ObjectSummary> sorted = List.of();
    private volatile boolean dirty = true;

    /** One Flux kind being watched. */
    private record Watch(FluxKind kind, SharedIndexInformer<GenericKubernetesResource> informer, Handler handler) {
    }

    /**
     * Watches the CustomResourceDefinitions: each established one of a {@code *.fluxcd.io} group gets an informer (also
     * when it is installed after the UI started, or its storage version changes); a deleted one's informer is stopped
     * and its objects leave the view. Start-up waits until the kinds installed now are synced.
     */
    void start(@Observes StartupEvent event) {
        crds = client.apiextensions().v1().customResourceDefinitions().runnableInformer(0);
        crds.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(CustomResourceDefinition crd) {
                definitionChanged(crd);
            }

            @Override
            public void onUpdate(CustomResourceDefinition old, CustomResourceDefinition crd) {
                definitionChanged(crd);
            }

            @Override
            public void onDelete(CustomResourceDefinition crd, boolean unknownFinalState) {
                unwatch(crd.getMetadata().getName());
            }
        });
        waitFor(crds.start(), "CustomResourceDefinitions");
        initial.forEach(stage -> waitFor(stage, "a Flux kind"));
        started = true;
        initial.clear();
        LOG.infof("watching %d Flux kinds, %d objects", kinds.size(), summaries.size());
    }

    private static void waitFor(java.util.concurrent.CompletionStage<Void> stage, String what) {
        try {
            stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warnf("informer of %s did not sync: %s", what, e.getMessage());
        }
    }

    private synchronized void definitionChanged(CustomResourceDefinition crd) {
        String group = crd.getSpec().getGroup();
        boolean established = crd.getStatus() != null && crd.getStatus().getConditions() != null && crd.getStatus().getConditions()
                .stream().anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
        String name = crd.getMetadata().getName();
        if (!group.endsWith(".fluxcd.io") || !established || crd.getMetadata().getDeletionTimestamp() != null) {
            if (crd.getMetadata().getDeletionTimestamp() != null) {
                unwatch(name);
            }
            return;
        }
        Optional<CustomResourceDefinitionVersion> storage = crd.getSpec().getVersions().stream()
                .filter(CustomResourceDefinitionVersion::getStorage).findFirst();
        if (storage.isEmpty()) {
            return;
        }
        FluxKind kind = new FluxKind(group, storage.get().getName(), crd.getSpec().getNames().getKind(),
                crd.getSpec().getNames().getPlural(), "Namespaced".equals(crd.getSpec().getScope()));
        Watch current = watches.get(name);
        if (current != null && current.kind().equals(kind)) {
            return;
        }
        unwatch(name);
        kinds.put(kind.kind(), kind);
        SharedIndexInformer<GenericKubernetesResource> informer = client.genericKubernetesResources(kind.context())
                .inAnyNamespace().runnableInformer(0);
        Handler handler = new Handler(kind);
        informer.addEventHandler(handler);
        watches.put(name, new Watch(kind, informer, handler));
        java.util.concurrent.CompletionStage<Void> synced = informer.start();
        if (!started) {
            initial.add(synced);
        } else {
            LOG.infof("watching %s %s (CustomResourceDefinition %s installed)", kind.apiVersion(), kind.kind(), name);
        }
    }

    /** Stops watching a kind and removes its objects from the view (each sent to the open pages as deleted). */
    private synchronized void unwatch(String crdName) {
        Watch watch = watches.remove(crdName);
        if (watch == null) {
            return;
        }
        watch.handler().stopped = true;
        watch.informer().close();
        kinds.remove(watch.kind().kind(), watch.kind());
        for (ObjectSummary summary : List.copyOf(summaries.values())) {
            if (summary.kind().equals(watch.kind().kind()) && summaries.remove(summary.key(), summary)) {
                objects.remove(summary.key());
                dirty = true;
                changes.onNext(new Change(summary, true));
            }
        }
        LOG.infof("stopped watching %s %s (CustomResourceDefinition %s removed)", watch.kind().apiVersion(), watch.kind().kind(), crdName);
    }

    void stop(@Observes ShutdownEvent event) {
        if (crds != null) {
            crds.close();
        }
        watches.values().forEach(w -> w.informer().close());
        changes.onComplete();
    }

    /** The Flux kinds, by kind name. */
    public Map<String, FluxKind> kinds() {
        return kinds;
    }

    public Optional<FluxKind> kind(String name) {
        return Optional.ofNullable(kinds.get(name));
    }

    /** Every object, ordered by namespace, kind, name; the list is rebuilt only after a change. */
    public List<ObjectSummary> all() {
        if (dirty) {
            dirty = false;
            List<ObjectSummary> list = new ArrayList<>(summaries.values());
            list.sort(ORDER);
            sorted = List.copyOf(list);
        }
        return sorted;
    }

    public Collection<GenericKubernetesResource> objects() {
        return objects.values();
    }

    public Optional<ObjectSummary> summary(String kind, String namespace, String name) {
        return Optional.ofNullable(summaries.get(ObjectSummary.key(kind, namespace, name)));
    }

    public Optional<GenericKubernetesResource> object(String kind, String namespace, String name) {
        return Optional.ofNullable(objects.get(ObjectSummary.key(kind, namespace, name)));
    }

    /** Every change as it arrives. */
    public Multi<Change> changes() {
        return changes;
    }

    /** One object added, changed or deleted. */
    public record Change(ObjectSummary summary, boolean deleted) {
    }

    private final class Handler implements ResourceEventHandler<GenericKubernetesResource> {
        private final FluxKind kind;
        /** Set when the kind's CustomResourceDefinition is gone: late events are dropped. */
        volatile boolean stopped;

        Handler(FluxKind kind) {
            this.kind = kind;
        }

        @Override
        public void onAdd(GenericKubernetesResource object) {
            put(object);
        }

        @Override
        public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource object) {
            put(object);
        }

        @Override
        public void onDelete(GenericKubernetesResource object, boolean unknownFinalState) {
            if (stopped) {
                return;
            }
            String key = ObjectSummary.key(kind.kind(), object.getMetadata().getNamespace(), object.getMetadata().getName());
            objects.remove(key);
            ObjectSummary removed = summaries.remove(key);
            dirty = true;
            if (removed != null) {
                changes.onNext(new Change(removed, true));
            }
        }

        private void put(GenericKubernetesResource object) {
            if (stopped) {
                return;
            }
            ObjectSummary summary = ObjectSummary.of(kind, object);
            objects.put(summary.key(), object);
            ObjectSummary previous = summaries.put(summary.key(), summary);
            dirty = true;
            if (!summary.equals(previous)) {
                changes.onNext(new Change(summary, false));
            }
        }
    }
}
