package io.currents.runtime.reconcile;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Currents' default on top of Flux's watch label: a change to any ConfigMap or Secret an object reads (found through
 * {@link ConfigDependencyWatch#INDEX}), labelled or not, reconciles that object after a short debounce, so several edits
 * in a row cause one reconcile. It is a plain watch, not an informer: every ConfigMap or Secret event streams past and
 * is dropped unless an object reads it, and only a digest of the data of referenced objects is kept, so memory does not
 * grow with the number of ConfigMaps and Secrets in the cluster. Objects carrying Flux's label are left to the
 * label-selected informers of {@link ConfigDependencyWatch}.
 */
final class ReferencedConfigWatch<R extends HasMetadata, P extends HasMetadata> extends AbstractEventSource<R, P> {

    private static final Logger LOG = Logger.getLogger(ReferencedConfigWatch.class);

    private final String kind;
    private final EventSourceContext<P> context;
    private final Function<R, Object> data;
    private final Duration debounce;
    private final Map<String, Integer> digests = new ConcurrentHashMap<>();
    private final Set<ResourceID> pending = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService timer;
    private final List<Watch> watches = new CopyOnWriteArrayList<>();

    private ReferencedConfigWatch(Class<R> type, String kind, EventSourceContext<P> context, Function<R, Object> data, Duration debounce) {
        super(type, "referenced-" + kind);
        this.kind = kind;
        this.context = context;
        this.data = data;
        this.debounce = debounce;
    }

    static <P extends HasMetadata> ReferencedConfigWatch<ConfigMap, P> configMaps(EventSourceContext<P> context, Duration debounce) {
        return new ReferencedConfigWatch<>(ConfigMap.class, "ConfigMap", context,
                cm -> Objects.hash(cm.getData(), cm.getBinaryData()), debounce);
    }

    static <P extends HasMetadata> ReferencedConfigWatch<Secret, P> secrets(EventSourceContext<P> context, Duration debounce) {
        return new ReferencedConfigWatch<>(Secret.class, "Secret", context,
                s -> Objects.hash(s.getData(), s.getStringData()), debounce);
    }

    /** Holds no objects: it only tells which primaries to reconcile. */
    @Override
    public Set<R> getSecondaryResources(P primary) {
        return Set.of();
    }

    @Override
    public void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "referenced-" + kind + "-debounce");
            thread.setDaemon(true);
            return thread;
        });
        super.start();
        Set<String> namespaces = context.getControllerConfiguration().getEffectiveNamespaces();
        if (namespaces.isEmpty() || namespaces.contains(Constants.WATCH_ALL_NAMESPACES)) {
            watchFromNow(null);
        } else {
            // the controller watches some namespaces only (and may only be allowed to read those): so does this watch
            for (String namespace : namespaces) {
                watchFromNow(Constants.WATCH_CURRENT_NAMESPACE.equals(namespace) ? context.getClient().getNamespace() : namespace);
            }
        }
    }

    @Override
    public void stop() {
        super.stop();
        watches.forEach(Watch::close);
        watches.clear();
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** Watches {@code namespace} (all when null) from now on; a failure is logged and retried, never fatal to the controller. */
    private void watchFromNow(String namespace) {
        if (!isRunning() || timer.isShutdown()) {
            return;
        }
        try {
            var all = context.getClient().resources(resourceType());
            var resources = namespace == null ? all.inAnyNamespace() : all.inNamespace(namespace);
            // start at the present: a list of one item gives the collection's resourceVersion without reading every object
            String resourceVersion = resources.list(new ListOptionsBuilder().withLimit(1L).build()).getMetadata().getResourceVersion();
            Watch[] opened = new Watch[1];
            opened[0] = resources.watch(new ListOptionsBuilder().withResourceVersion(resourceVersion).withAllowWatchBookmarks(true).build(),
                    new Watcher<R>() {
                        @Override
                        public void eventReceived(Action action, R object) {
                            if (action != Action.BOOKMARK && action != Action.ERROR) {
                                changed(action, object);
                            }
                        }

                        @Override
                        public void onClose(WatcherException cause) {
                            // the history was compacted (410) or the connection could not be re-established: start again from now
                            LOG.debugf("watch of %ss closed (%s); watching again", kind, cause.getMessage());
                            watches.remove(opened[0]);
                            retry(namespace, 1);
                        }
                    });
            watches.add(opened[0]);
        } catch (RuntimeException e) {
            LOG.warnf("cannot watch %ss%s for changes (%s); retrying in 10s", kind,
                    namespace == null ? "" : " in " + namespace, e.getMessage());
            retry(namespace, 10);
        }
    }

    private void retry(String namespace, int seconds) {
        if (isRunning() && !timer.isShutdown()) {
            timer.schedule(() -> watchFromNow(namespace), seconds, TimeUnit.SECONDS);
        }
    }

    private void changed(Watcher.Action action, R object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        if (labels != null && ConfigDependencyWatch.ENABLED.equals(labels.get(ConfigDependencyWatch.LABEL))) {
            return;
        }
        String key = ConfigDependencyWatch.key(kind, object.getMetadata().getNamespace(), object.getMetadata().getName());
        var dependents = context.getPrimaryCache().byIndex(ConfigDependencyWatch.INDEX, key);
        if (dependents.isEmpty()) {
            digests.remove(key);
            return;
        }
        if (action == Watcher.Action.DELETED) {
            digests.remove(key);
        } else {
            Integer digest = (Integer) data.apply(object);
            if (digest.equals(digests.put(key, digest))) {
                return; // only metadata changed
            }
        }
        for (P dependent : dependents) {
            ResourceID id = ResourceID.fromResource(dependent);
            if (pending.add(id)) {
                timer.schedule(() -> {
                    pending.remove(id);
                    getEventHandler().handleEvent(new Event(id));
                }, debounce.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }
}
