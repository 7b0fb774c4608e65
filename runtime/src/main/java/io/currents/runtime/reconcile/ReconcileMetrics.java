package io.currents.runtime.reconcile;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Flux's Prometheus metrics: {@code gotk_reconcile_duration_seconds}, {@code gotk_reconcile_condition}
 * and {@code gotk_suspend_status}, labelled by kind, name and namespace.
 */
@ApplicationScoped
public class ReconcileMetrics {

    private static final List<String> STATUSES = List.of(Conditions.TRUE, Conditions.FALSE, Conditions.UNKNOWN, "Deleted");

    @Inject
    MeterRegistry registry;

    /**
     * Flux's buckets: ten, growing geometrically from 10ms to 30 minutes (Prometheus' ExponentialBucketsRange). A fixed
     * set also keeps each object's histogram small: a percentile histogram costs kilobytes per object, which adds up to
     * megabytes with a thousand Kustomizations.
     */
    static final Duration[] DURATION_BUCKETS = exponentialRange(Duration.ofMillis(10), Duration.ofMinutes(30), 10);

    private final Map<String, AtomicInteger> gauges = new ConcurrentHashMap<>();

    public void recordDuration(HasMetadata obj, Duration duration) {
        Timer.builder("gotk_reconcile_duration_seconds")
                .description("The duration in seconds of a GitOps Toolkit resource reconciliation.")
                .tags(objectTags(obj))
                .serviceLevelObjectives(DURATION_BUCKETS)
                .register(registry)
                .record(duration);
    }

    static Duration[] exponentialRange(Duration min, Duration max, int count) {
        double factor = Math.pow((double) max.toNanos() / min.toNanos(), 1.0 / (count - 1));
        Duration[] buckets = new Duration[count];
        for (int i = 0; i < count; i++) {
            buckets[i] = Duration.ofNanos(Math.round(min.toNanos() * Math.pow(factor, i)));
        }
        return buckets;
    }

    /** Sets the condition gauge: 1 for the object's current status of {@code type}, 0 for the others. */
    public void recordCondition(HasMetadata obj, List<Condition> conditions, String type, boolean deleted) {
        String current = deleted ? "Deleted" : Conditions.find(conditions, type).map(Condition::getStatus).orElse(Conditions.UNKNOWN);
        for (String status : STATUSES) {
            gauge("gotk_reconcile_condition", objectTags(obj).and("type", type).and("status", status))
                    .set(status.equals(current) ? 1 : 0);
        }
    }

    public void recordSuspend(HasMetadata obj, boolean suspended) {
        gauge("gotk_suspend_status", objectTags(obj)).set(suspended ? 1 : 0);
    }

    private AtomicInteger gauge(String name, Tags tags) {
        String key = name + tags;
        return gauges.computeIfAbsent(key, k -> registry.gauge(name, tags, new AtomicInteger()));
    }

    private static Tags objectTags(HasMetadata obj) {
        return Tags.of("kind", obj.getKind(), "name", obj.getMetadata().getName(),
                "namespace", obj.getMetadata().getNamespace() == null ? "" : obj.getMetadata().getNamespace());
    }
}
