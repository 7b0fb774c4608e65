package io.currents.runtime.health;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Waits for a set of objects to become Current (kstatus, or the CEL expressions of {@link CustomHealthChecks} for
 * the kinds they cover), polling the API server, and explains in Flux's words which objects are not ready and why
 * when the wait fails. A Failed object ends the wait early.
 */
public final class HealthCheck {

    private final KubernetesClient client;
    private final CustomHealthChecks custom;

    public HealthCheck(KubernetesClient client) {
        this(client, CustomHealthChecks.none());
    }

    public HealthCheck(KubernetesClient client, CustomHealthChecks custom) {
        this.client = client;
        this.custom = custom;
    }

    /** The outcome of a wait: every object's last status, and a message when not all became Current. */
    public record Report(Map<String, ObjectStatus> statuses, boolean healthy, String message) {

        /** Subjects ({@code Kind/namespace/name}) of the objects that are not Current. */
        public List<String> notReady() {
            return statuses.entrySet().stream().filter(e -> !e.getValue().isCurrent()).map(Map.Entry::getKey).toList();
        }
    }

    /** Polls every {@code interval} until all objects are Current, one is Failed, or {@code timeout} passes. */
    public Report waitFor(Collection<? extends HasMetadata> objects, Duration interval, Duration timeout) {
        return waitFor(objects, interval, timeout, () -> null);
    }

    /**
     * As {@link #waitFor(Collection, Duration, Duration)}, and gives up as soon as {@code cancel} (asked before each poll
     * after the first) returns a reason: the report is then unhealthy with that reason as its message.
     */
    public Report waitFor(Collection<? extends HasMetadata> objects, Duration interval, Duration timeout, Supplier<String> cancel) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean first = true;
        while (true) {
            if (!first) {
                String reason = cancel.get();
                if (reason != null) {
                    return new Report(Map.of(), false, reason);
                }
            }
            first = false;
            Map<String, ObjectStatus> statuses = check(objects);
            boolean allCurrent = statuses.values().stream().allMatch(ObjectStatus::isCurrent);
            if (allCurrent) {
                return new Report(statuses, true, "");
            }
            boolean anyFailed = statuses.values().stream().anyMatch(s -> s.status() == Status.FAILED);
            if (anyFailed) {
                return new Report(statuses, false, "failed early due to stalled resources: [" + describe(statuses, true) + "]");
            }
            if (System.nanoTime() >= deadline) {
                return new Report(statuses, false, "timeout waiting for: [" + describe(statuses, false) + "]");
            }
            try {
                Thread.sleep(Math.max(1, Math.min(interval.toMillis(), (deadline - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Report(statuses, false, "health check interrupted: [" + describe(statuses, false) + "]");
            }
        }
    }

    /** The current status of each object, keyed by {@code Kind/namespace/name}, without waiting. */
    public Map<String, ObjectStatus> check(Collection<? extends HasMetadata> objects) {
        Map<String, ObjectStatus> statuses = new LinkedHashMap<>();
        for (HasMetadata object : objects) {
            statuses.put(subject(object), status(object));
        }
        return statuses;
    }

    @SuppressWarnings("unchecked")
    private ObjectStatus status(HasMetadata object) {
        String namespace = object.getMetadata().getNamespace();
        try {
            var resources = client.genericKubernetesResources(object.getApiVersion(), object.getKind());
            GenericKubernetesResource live = namespace == null || namespace.isEmpty()
                    ? resources.withName(object.getMetadata().getName()).get()
                    : resources.inNamespace(namespace).withName(object.getMetadata().getName()).get();
            if (live == null) {
                return new ObjectStatus(Status.NOT_FOUND, "Resource not found");
            }
            Map<String, Object> map = Serialization.jsonMapper().convertValue(live, Map.class);
            ObjectStatus byExpressions = custom.evaluate(map);
            return byExpressions != null ? byExpressions : Kstatus.compute(map);
        } catch (KubernetesClientException e) {
            return new ObjectStatus(Status.UNKNOWN, e.getStatus() != null && e.getStatus().getMessage() != null
                    ? e.getStatus().getMessage() : e.getMessage());
        }
    }

    private static String describe(Map<String, ObjectStatus> statuses, boolean onlyFailed) {
        List<String> parts = new ArrayList<>();
        statuses.forEach((subject, status) -> {
            if (status.isCurrent() || (onlyFailed && status.status() != Status.FAILED)) {
                return;
            }
            String part = subject + " status: '" + status.status() + "'";
            if (status.message() != null && !status.message().isEmpty()) {
                part += ": " + status.message();
            }
            parts.add(part);
        });
        return String.join(", ", parts);
    }

    /** Flux's way of naming an object in messages: {@code Kind/namespace/name}, or {@code Kind/name} when cluster-scoped. */
    public static String subject(HasMetadata object) {
        String namespace = object.getMetadata().getNamespace();
        return namespace == null || namespace.isEmpty()
                ? object.getKind() + "/" + object.getMetadata().getName()
                : object.getKind() + "/" + namespace + "/" + object.getMetadata().getName();
    }
}
