package io.currents.runtime.health;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Computes whether a Kubernetes object is Current, InProgress or Failed from its live state, following the
 * rules of kstatus (kubernetes-sigs/cli-utils) that Flux health checks use: deletion, observedGeneration,
 * the standard Reconciling/Stalled conditions, then per-kind rules for built-in workloads, and a Ready
 * condition for custom resources such as Flux's own kinds.
 */
public final class Kstatus {

    private static final int MAX_INT32 = Integer.MAX_VALUE;
    /** How long a Pod may stay unschedulable before it counts as failed, as in kstatus. */
    private static final Duration SCHEDULE_WINDOW = Duration.ofSeconds(15);

    private Kstatus() {
    }

    /** The status of an object given as its JSON map (as read from the API server). */
    public static ObjectStatus compute(Map<String, Object> object) {
        ObjectStatus generic = genericProperties(object);
        if (generic != null) {
            return generic;
        }
        String group = group(string(object, "apiVersion"));
        String kind = string(object, "kind");
        String key = group.isEmpty() ? kind : group + "/" + kind;
        return switch (key) {
            case "Service" -> service(object);
            case "Pod" -> pod(object);
            case "Secret", "ConfigMap", "batch/CronJob" -> ObjectStatus.current("Resource is always ready");
            case "PersistentVolumeClaim" -> pvc(object);
            case "Namespace" -> namespace(object);
            case "apps/StatefulSet" -> statefulSet(object);
            case "apps/DaemonSet", "extensions/DaemonSet" -> daemonSet(object);
            case "apps/Deployment", "extensions/Deployment" -> deployment(object);
            case "apps/ReplicaSet", "extensions/ReplicaSet" -> replicaSet(object);
            case "policy/PodDisruptionBudget" -> ObjectStatus.current("AllowedDisruptions has been computed.");
            case "batch/Job" -> job(object);
            case "apiextensions.k8s.io/CustomResourceDefinition" -> crd(object);
            default -> readyCondition(object);
        };
    }

    private static ObjectStatus genericProperties(Map<String, Object> object) {
        String deletion = string(object, "metadata.deletionTimestamp");
        if (!deletion.isEmpty()) {
            return new ObjectStatus(Status.TERMINATING, "Resource scheduled for deletion");
        }
        Long generation = number(object, "metadata.generation");
        Long observed = number(object, "status.observedGeneration");
        if (generation != null && observed != null && !generation.equals(observed)) {
            return ObjectStatus.inProgress(string(object, "kind") + " generation is " + generation
                    + ", but latest observed generation is " + observed);
        }
        for (Map<String, Object> condition : conditions(object)) {
            String type = string(condition, "type");
            boolean isTrue = "True".equals(string(condition, "status"));
            if (isTrue && "Reconciling".equals(type)) {
                return ObjectStatus.inProgress(string(condition, "message"));
            }
            if (isTrue && "Stalled".equals(type)) {
                return ObjectStatus.failed(string(condition, "message"));
            }
        }
        return null;
    }

    private static ObjectStatus readyCondition(Map<String, Object> object) {
        for (Map<String, Object> condition : conditions(object)) {
            if ("Ready".equals(string(condition, "type"))) {
                String message = string(condition, "message");
                return switch (string(condition, "status")) {
                    case "True" -> ObjectStatus.current(message.isEmpty() ? "Resource is Ready" : message);
                    case "False" -> ObjectStatus.inProgress(message.isEmpty() ? "Resource is not Ready" : message);
                    default -> ObjectStatus.inProgress(message.isEmpty() ? "Ready condition is Unknown" : message);
                };
            }
        }
        return ObjectStatus.current("Resource is current");
    }

    private static ObjectStatus deployment(Map<String, Object> o) {
        boolean progressing = integer(o, "spec.progressDeadlineSeconds", MAX_INT32) == MAX_INT32;
        boolean available = false;
        for (Map<String, Object> c : conditions(o)) {
            String type = string(c, "type");
            if ("Progressing".equals(type)) {
                if ("ProgressDeadlineExceeded".equals(string(c, "reason"))) {
                    return ObjectStatus.failed("Progress deadline exceeded");
                }
                if ("True".equals(string(c, "status")) && "NewReplicaSetAvailable".equals(string(c, "reason"))) {
                    progressing = true;
                }
            } else if ("Available".equals(type) && "True".equals(string(c, "status"))) {
                available = true;
            }
        }
        long spec = integer(o, "spec.replicas", 1);
        long status = integer(o, "status.replicas", 0);
        long updated = integer(o, "status.updatedReplicas", 0);
        long ready = integer(o, "status.readyReplicas", 0);
        long avail = integer(o, "status.availableReplicas", 0);
        if (spec > status) {
            return ObjectStatus.inProgress("Replicas: " + status + "/" + spec);
        }
        if (spec > updated) {
            return ObjectStatus.inProgress("Updated: " + updated + "/" + spec);
        }
        if (status > spec) {
            return ObjectStatus.inProgress("Pending termination: " + (status - spec));
        }
        if (updated > avail) {
            return ObjectStatus.inProgress("Available: " + avail + "/" + updated);
        }
        if (spec > ready) {
            return ObjectStatus.inProgress("Ready: " + ready + "/" + spec);
        }
        if (!progressing) {
            return ObjectStatus.inProgress("ReplicaSet not Available");
        }
        if (!available) {
            return ObjectStatus.inProgress("Deployment not Available");
        }
        return ObjectStatus.current("Deployment is available. Replicas: " + status);
    }

    private static ObjectStatus statefulSet(Map<String, Object> o) {
        if ("OnDelete".equals(string(o, "spec.updateStrategy.type"))) {
            return ObjectStatus.current("StatefulSet is using the ondelete update strategy");
        }
        long spec = integer(o, "spec.replicas", 1);
        long ready = integer(o, "status.readyReplicas", 0);
        long current = integer(o, "status.currentReplicas", 0);
        long updated = integer(o, "status.updatedReplicas", 0);
        long status = integer(o, "status.replicas", 0);
        long partition = integer(o, "spec.updateStrategy.rollingUpdate.partition", -1);
        if (spec > status) {
            return ObjectStatus.inProgress("Replicas: " + status + "/" + spec);
        }
        if (spec > ready) {
            return ObjectStatus.inProgress("Ready: " + ready + "/" + spec);
        }
        if (status > spec) {
            return ObjectStatus.inProgress("Pending termination: " + (status - spec));
        }
        if (partition != -1) {
            if (updated < spec - partition) {
                return ObjectStatus.inProgress("updated: " + updated + "/" + (spec - partition));
            }
            return ObjectStatus.current("Partition rollout complete. updated: " + updated);
        }
        if (spec > current) {
            return ObjectStatus.inProgress("current: " + current + "/" + spec);
        }
        if (!string(o, "status.currentRevision").equals(string(o, "status.updateRevision"))) {
            return ObjectStatus.inProgress("Waiting for updated revision to match current");
        }
        return ObjectStatus.current("All replicas scheduled as expected. Replicas: " + status);
    }

    private static ObjectStatus daemonSet(Map<String, Object> o) {
        // The daemonset controller always writes these once it has seen the object; their absence means
        // it has not acted yet.
        if (number(o, "metadata.generation") == null) {
            return ObjectStatus.inProgress(string(o, "kind") + " metadata.generation not found");
        }
        if (number(o, "status.observedGeneration") == null) {
            return ObjectStatus.inProgress(string(o, "kind") + " status.observedGeneration not found");
        }
        long desired = integer(o, "status.desiredNumberScheduled", -1);
        long current = integer(o, "status.currentNumberScheduled", 0);
        long updated = integer(o, "status.updatedNumberScheduled", 0);
        long available = integer(o, "status.numberAvailable", 0);
        long ready = integer(o, "status.numberReady", 0);
        if (desired == -1) {
            return ObjectStatus.inProgress("Missing .status.desiredNumberScheduled");
        }
        if (desired > current) {
            return ObjectStatus.inProgress("Current: " + current + "/" + desired);
        }
        if (desired > updated) {
            return ObjectStatus.inProgress("Updated: " + updated + "/" + desired);
        }
        if (desired > available) {
            return ObjectStatus.inProgress("Available: " + available + "/" + desired);
        }
        if (desired > ready) {
            return ObjectStatus.inProgress("Ready: " + ready + "/" + desired);
        }
        return ObjectStatus.current("All replicas scheduled as expected. Replicas: " + desired);
    }

    private static ObjectStatus replicaSet(Map<String, Object> o) {
        for (Map<String, Object> c : conditions(o)) {
            if ("ReplicaFailure".equals(string(c, "type")) && "True".equals(string(c, "status"))) {
                return ObjectStatus.inProgress("Replica Failure condition. Check Pods");
            }
        }
        long spec = integer(o, "spec.replicas", 1);
        long status = integer(o, "status.replicas", 0);
        long ready = integer(o, "status.readyReplicas", 0);
        long available = integer(o, "status.availableReplicas", 0);
        long labelled = integer(o, "status.fullyLabeledReplicas", 0);
        if (spec > labelled) {
            return ObjectStatus.inProgress("Labelled: " + labelled + "/" + spec);
        }
        if (spec > available) {
            return ObjectStatus.inProgress("Available: " + available + "/" + spec);
        }
        if (spec > ready) {
            return ObjectStatus.inProgress("Ready: " + ready + "/" + spec);
        }
        if (status > spec) {
            return ObjectStatus.inProgress("Pending termination: " + (status - spec));
        }
        return ObjectStatus.current("ReplicaSet is available. Replicas: " + status);
    }

    private static ObjectStatus job(Map<String, Object> o) {
        long parallelism = integer(o, "spec.parallelism", 1);
        long completions = integer(o, "spec.completions", parallelism);
        long succeeded = integer(o, "status.succeeded", 0);
        long active = integer(o, "status.active", 0);
        long failed = integer(o, "status.failed", 0);
        for (Map<String, Object> c : conditions(o)) {
            if (!"True".equals(string(c, "status"))) {
                continue;
            }
            switch (string(c, "type")) {
                case "Complete" -> {
                    return ObjectStatus.current("Job Completed. succeeded: " + succeeded + "/" + completions);
                }
                case "Failed" -> {
                    return ObjectStatus.failed("Job Failed. failed: " + failed + "/" + completions);
                }
                case "Suspended" -> {
                    return ObjectStatus.current("Job is suspended");
                }
                default -> {
                }
            }
        }
        if (string(o, "status.startTime").isEmpty()) {
            return ObjectStatus.inProgress("Job not started");
        }
        return ObjectStatus.current("Job in progress. success:" + succeeded + ", active: " + active + ", failed: " + failed);
    }

    private static ObjectStatus pod(Map<String, Object> o) {
        List<Map<String, Object>> conditions = conditions(o);
        switch (string(o, "status.phase")) {
            case "Succeeded" -> {
                return ObjectStatus.current("Pod has completed successfully");
            }
            case "Failed" -> {
                return ObjectStatus.current("Pod has completed, but not successfully");
            }
            case "Running" -> {
                if (hasCondition(conditions, "Ready", "True")) {
                    return ObjectStatus.current("Pod is Ready");
                }
                List<String> crashing = new ArrayList<>();
                for (Object item : list(o, "status.containerStatuses")) {
                    if (item instanceof Map<?, ?> cs && "CrashLoopBackOff".equals(string(cast(cs), "state.waiting.reason"))) {
                        crashing.add(string(cast(cs), "name"));
                    }
                }
                if (!crashing.isEmpty()) {
                    return ObjectStatus.failed("Containers in CrashLoop state: " + String.join(",", crashing));
                }
                return ObjectStatus.inProgress("Pod is running but is not Ready");
            }
            case "Pending" -> {
                for (Map<String, Object> c : conditions) {
                    if ("PodScheduled".equals(string(c, "type")) && "False".equals(string(c, "status"))
                            && "Unschedulable".equals(string(c, "reason"))) {
                        Instant created = timestamp(string(o, "metadata.creationTimestamp"));
                        if (created != null && Instant.now().minus(SCHEDULE_WINDOW).isBefore(created)) {
                            return ObjectStatus.inProgress("Pod has not been scheduled");
                        }
                        return ObjectStatus.failed("Pod could not be scheduled");
                    }
                }
                return ObjectStatus.inProgress("Pod is in the Pending phase");
            }
            case "" -> {
                return ObjectStatus.inProgress("Pod phase not available");
            }
            default -> {
                return new ObjectStatus(Status.UNKNOWN, "unknown phase " + string(o, "status.phase"));
            }
        }
    }

    private static ObjectStatus pvc(Map<String, Object> o) {
        String phase = string(o, "status.phase");
        if (!"Bound".equals(phase)) {
            return ObjectStatus.inProgress("PVC is not Bound. phase: " + (phase.isEmpty() ? "unknown" : phase));
        }
        return ObjectStatus.current("PVC is Bound");
    }

    private static ObjectStatus service(Map<String, Object> o) {
        String type = string(o, "spec.type");
        if ("LoadBalancer".equals(type) && string(o, "spec.clusterIP").isEmpty()) {
            return ObjectStatus.inProgress("ClusterIP not set. Service type: LoadBalancer");
        }
        return ObjectStatus.current("Service is ready");
    }

    private static ObjectStatus namespace(Map<String, Object> o) {
        String phase = string(o, "status.phase");
        if ("Terminating".equals(phase)) {
            return new ObjectStatus(Status.TERMINATING, "Namespace is terminating");
        }
        return ObjectStatus.current("Resource is current");
    }

    private static ObjectStatus crd(Map<String, Object> o) {
        for (Map<String, Object> c : conditions(o)) {
            String type = string(c, "type");
            String status = string(c, "status");
            if ("NamesAccepted".equals(type) && "False".equals(status)) {
                return ObjectStatus.failed(string(c, "message"));
            }
            if ("Established".equals(type)) {
                if ("False".equals(status) && !"Installing".equals(string(c, "reason"))) {
                    return ObjectStatus.failed(string(c, "message"));
                }
                if ("True".equals(status)) {
                    return ObjectStatus.current("CRD is established");
                }
            }
        }
        return ObjectStatus.inProgress("Install in progress");
    }

    // --- reading the JSON map ---

    private static String group(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    private static boolean hasCondition(List<Map<String, Object>> conditions, String type, String status) {
        return conditions.stream().anyMatch(c -> type.equals(string(c, "type")) && status.equals(string(c, "status")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    private static List<Map<String, Object>> conditions(Map<String, Object> object) {
        List<Map<String, Object>> result = new ArrayList<>();
        for (Object item : list(object, "status.conditions")) {
            if (item instanceof Map<?, ?> map) {
                result.add(cast(map));
            }
        }
        return result;
    }

    private static Object field(Map<String, Object> object, String path) {
        Object current = object;
        for (String part : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(part);
        }
        return current;
    }

    private static String string(Map<String, Object> object, String path) {
        Object value = field(object, path);
        return value == null ? "" : Objects.toString(value);
    }

    private static Long number(Map<String, Object> object, String path) {
        Object value = field(object, path);
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value instanceof String s) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static long integer(Map<String, Object> object, String path, long fallback) {
        Long value = number(object, path);
        return value == null ? fallback : value;
    }

    private static List<?> list(Map<String, Object> object, String path) {
        return field(object, path) instanceof List<?> l ? l : List.of();
    }

    private static Instant timestamp(String value) {
        try {
            return value.isEmpty() ? null : OffsetDateTime.parse(value).toInstant();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
