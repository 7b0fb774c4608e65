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
    private final List<SharedIndexInformer<GenericKubernetesResource>> informers = new ArrayList<>();
    private final BroadcastProcessor<Change> changes = BroadcastProcessor.create();
    private volatile List<ObjectSummary> sorted = List.of();
    private volatile boolean dirty = true;

    void start(@Observes StartupEvent event) {
        for (CustomResourceDefinition crd : client.apiextensions().v1().customResourceDefinitions().list().getItems()) {
            String group = crd.getSpec().getGroup();
            if (!group.endsWith(".fluxcd.io")) {
                continue;
            }
            Optional<CustomResourceDefinitionVersion> storage = crd.getSpec().getVersions().stream()
                    .filter(CustomResourceDefinitionVersion::getStorage).findFirst();
            storage.ifPresent(v -> {
                FluxKind kind = new FluxKind(group, v.getName(), crd.getSpec().getNames().getKind(),
                        crd.getSpec().getNames().getPlural(), "Namespaced".equals(crd.getSpec().getScope()));
                kinds.put(kind.kind(), kind);
            });
        }
        List<java.util.concurrent.CompletionStage<Void>> synced = new ArrayList<>();
        for (FluxKind kind : kinds.values()) {
            SharedIndexInformer<GenericKubernetesResource> informer = client.genericKubernetesResources(kind.context())
                    .inAnyNamespace().runnableInformer(0);
            informer.addEventHandler(new Handler(kind));
            informers.add(informer);
            synced.add(informer.start());
        }
        for (java.util.concurrent.CompletionStage<Void> stage : synced) {
            try {
                stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warnf("informer did not sync: %s", e.getMessage());
            }
        }
        LOG.infof("watching %d Flux kinds, %d objects", kinds.size(), summaries.size());
    }

    void stop(@Observes ShutdownEvent event) {
        informers.forEach(SharedIndexInformer::close);
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
            String key = ObjectSummary.key(kind.kind(), object.getMetadata().getNamespace(), object.getMetadata().getName());
            objects.remove(key);
            ObjectSummary removed = summaries.remove(key);
            dirty = true;
            if (removed != null) {
                changes.onNext(new Change(removed, true));
            }
        }

        private void put(GenericKubernetesResource object) {
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
