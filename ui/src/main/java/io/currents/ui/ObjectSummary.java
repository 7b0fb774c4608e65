package io.currents.ui;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the overview shows of one Flux object: its kstatus-style state, reason, message and revision, computed once
 * when the informer delivers the object.
 */
public record ObjectSummary(FluxKind fluxKind, String namespace, String name, Status status, boolean suspended,
                            String reason, String message, String revision, Instant created) {

    /** The one state an object is counted under (Flux's Stalled/Reconciling/Ready conditions, in that order). */
    public enum Status {
        READY("Ready"), FAILED("Failed"), RECONCILING("Reconciling"), STALLED("Stalled"), UNKNOWN("Unknown");

        private final String label;

        Status(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static ObjectSummary of(FluxKind kind, GenericKubernetesResource object) {
        Map<String, Object> status = Maps.map(object.getAdditionalProperties().get("status"));
        Map<String, Object> ready = condition(object, "Ready");
        Status state;
        if ("True".equals(Maps.string(condition(object, "Stalled"), "status"))) {
            state = Status.STALLED;
        } else if ("True".equals(Maps.string(condition(object, "Reconciling"), "status"))) {
            state = Status.RECONCILING;
        } else if ("True".equals(Maps.string(ready, "status"))) {
            state = Status.READY;
        } else if ("False".equals(Maps.string(ready, "status"))) {
            state = Status.FAILED;
        } else {
            state = Status.UNKNOWN;
        }
        boolean suspended = Boolean.TRUE.equals(Maps.at(object.getAdditionalProperties().get("spec"), "suspend"));
        String created = object.getMetadata().getCreationTimestamp();
        return new ObjectSummary(kind, object.getMetadata().getNamespace(), object.getMetadata().getName(), state, suspended,
                Maps.string(ready, "reason"), Maps.string(ready, "message"), revision(status),
                created == null ? null : Instant.parse(created));
    }

    /** The revision a user compares with Git: the artifact's, the applied one, or the chart version installed. */
    static String revision(Map<String, Object> status) {
        for (String[] path : new String[][]{{"artifact", "revision"}, {"lastAppliedRevision"}, {"lastAttemptedRevision"},
                {"latestRef", "tag"}, {"lastPushCommit"}}) {
            String value = Maps.string(status, path);
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        List<Object> history = Maps.list(status.get("history"));
        return history.isEmpty() ? null : Maps.string(history.get(0), "chartVersion");
    }

    static Map<String, Object> condition(GenericKubernetesResource object, String type) {
        for (Object c : Maps.list(Maps.at(object.getAdditionalProperties().get("status"), "conditions"))) {
            if (type.equals(Maps.string(c, "type"))) {
                return Maps.map(c);
            }
        }
        return Map.of();
    }

    public String kind() {
        return fluxKind.kind();
    }

    public String key() {
        return key(fluxKind.kind(), namespace, name);
    }

    static String key(String kind, String namespace, String name) {
        return kind + "/" + (namespace == null ? "" : namespace) + "/" + name;
    }

    /** The object's page. */
    public String href() {
        return "/objects/" + fluxKind.kind() + "/" + namespace + "/" + name;
    }

    /** kubectl-style age: 5s, 3m, 2h, 4d. */
    public String age() {
        return created == null ? "" : Ages.format(Duration.between(created, Instant.now()));
    }

    /** A stable id for HTML elements and Selenium: kind-namespace-name. */
    public String domId() {
        return (fluxKind.kind() + "-" + namespace + "-" + name).toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    }
}
