package io.currents.cli.ops;

import io.currents.runtime.apply.Inventory;
import io.currents.runtime.apply.ObjectRef;
import io.currents.runtime.health.Kstatus;
import io.currents.runtime.health.ObjectStatus;
import io.currents.runtime.apply.Unstructured;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything {@code explain} says about one Kustomization or HelmRelease, gathered from the API server as a tree
 * of plain values (printed as a screen of text or as JSON): its conditions, what it waits on (source, artifact,
 * dependencies, the health of each object it applied), drift (fields another field manager took over), its last
 * events, its reconcile times and who suspended it.
 */
final class Explanation {

    /** At most this many inventory objects are read for health and drift, so a huge inventory stays quick. */
    static final int MAX_OBJECTS = 200;
    private static final int MAX_EVENTS = 5;

    private Explanation() {
    }

    static Map<String, Object> of(KubernetesClient client, FluxKind kind, GenericKubernetesResource object, Clock clock) {
        Map<String, Object> out = new LinkedHashMap<>();
        String ns = object.getMetadata().getNamespace();
        String name = object.getMetadata().getName();
        Map<String, Object> spec = FluxObjects.spec(object);
        Map<String, Object> status = FluxObjects.status(object);
        out.put("kind", kind.kind());
        out.put("namespace", ns);
        out.put("name", name);
        Map<String, Object> conditions = new LinkedHashMap<>();
        for (String type : List.of("Ready", "Reconciling", "Stalled")) {
            FluxObjects.condition(object, type).ifPresent(c -> conditions.put(type, condition(c)));
        }
        out.put("conditions", conditions);
        out.put("suspended", suspension(object));
        out.put("reconcile", times(spec, status, object, clock));
        List<Map<String, Object>> waits = new ArrayList<>();
        source(client, kind, object, status, waits);
        dependencies(client, kind, object, spec, waits);
        List<Map<String, Object>> drift = new ArrayList<>();
        objects(client, kind, status, waits, drift, out);
        out.put("waitingOn", waits);
        out.put("drift", drift);
        out.put("events", events(client, kind, ns, name, clock));
        return out;
    }

    private static Map<String, Object> condition(Map<String, Object> c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", c.get("status"));
        m.put("reason", c.get("reason"));
        m.put("message", c.get("message"));
        m.put("lastTransitionTime", c.get("lastTransitionTime"));
        return m;
    }

    private static Map<String, Object> suspension(GenericKubernetesResource object) {
        Map<String, Object> m = new LinkedHashMap<>();
        boolean suspended = FluxObjects.suspended(object);
        m.put("suspended", suspended);
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        if (suspended && annotations != null) {
            m.put("by", annotations.get(ReconcileRequests.SUSPENDED_BY));
            m.put("reason", annotations.get(ReconcileRequests.SUSPENDED_REASON));
        }
        return m;
    }

    /**
     * The last time the controller changed a condition (Flux records no separate "last run"), the last handled
     * reconcile request, and when the next reconcile is due: that time plus the interval, or the retry interval while
     * not Ready.
     */
    private static Map<String, Object> times(Map<String, Object> spec, Map<String, Object> status, GenericKubernetesResource object,
                                             Clock clock) {
        Map<String, Object> m = new LinkedHashMap<>();
        Instant last = null;
        if (status.get("conditions") instanceof List<?> list) {
            for (Object c : list) {
                String t = FluxObjects.string(FluxObjects.map(c), "lastTransitionTime");
                if (!t.isEmpty()) {
                    Instant i = Instant.parse(t);
                    last = last == null || i.isAfter(last) ? i : last;
                }
            }
        }
        m.put("lastTransition", last == null ? null : last.toString());
        m.put("lastHandledRequest", status.get("lastHandledReconcileAt"));
        m.put("lastAppliedRevision", status.get("lastAppliedRevision"));
        m.put("lastAttemptedRevision", status.get("lastAttemptedRevision"));
        String interval = FluxObjects.string(spec, "interval");
        boolean ready = "True".equals(FluxObjects.readyAndMessage(object)[0]);
        String every = !ready && !FluxObjects.string(spec, "retryInterval").isEmpty() ? FluxObjects.string(spec, "retryInterval") : interval;
        m.put("interval", every.isEmpty() ? null : every);
        if (last != null && !every.isEmpty() && !FluxObjects.suspended(object)) {
            Instant next = last.plus(io.currents.runtime.reconcile.FluxDuration.parse(every));
            while (next.isBefore(clock.instant())) {
                next = next.plus(io.currents.runtime.reconcile.FluxDuration.parse(every));
            }
            m.put("nextDue", next.toString());
        }
        return m;
    }

    private static void source(KubernetesClient client, FluxKind kind, GenericKubernetesResource object, Map<String, Object> status,
                               List<Map<String, Object>> waits) {
        ReconcileCommand.SourceRef ref = ReconcileCommand.sourceOf(kind, object);
        if (ref == null) {
            return;
        }
        Map<String, Object> w = wait("source", ref.kind().kind(), ref.namespace(), ref.name());
        GenericKubernetesResource source = FluxObjects.get(client, ref.kind(), ref.namespace(), ref.name());
        if (source == null) {
            w.put("ok", false);
            w.put("message", "not found");
            waits.add(w);
            return;
        }
        String[] ready = FluxObjects.readyAndMessage(source);
        String revision = FluxObjects.string(FluxObjects.status(source), "artifact", "revision");
        w.put("ok", "True".equals(ready[0]) && !revision.isEmpty());
        w.put("message", "Ready=" + ready[0] + (ready[1].isEmpty() ? "" : ": " + ready[1]));
        waits.add(w);
        Map<String, Object> artifact = wait("artifact", ref.kind().kind(), ref.namespace(), ref.name());
        String applied = applied(kind, status);
        String attempted = String.valueOf(status.getOrDefault("lastAttemptedRevision", ""));
        artifact.put("ok", !revision.isEmpty() && revision.equals(applied));
        artifact.put("message", revision.isEmpty() ? "no artifact yet"
                : revision.equals(applied) ? "revision " + revision + " applied"
                : "revision " + revision + " not applied yet (last applied " + (applied.isEmpty() ? "none" : applied)
                + (attempted.isEmpty() || attempted.equals(applied) ? "" : ", last attempted " + attempted) + ")");
        waits.add(artifact);
    }

    /**
     * The source revision in effect: a Kustomization's lastAppliedRevision; for a HelmRelease the chart version of
     * its current release (the newest history entry, when deployed), which is what a HelmChart's artifact names.
     */
    private static String applied(FluxKind kind, Map<String, Object> status) {
        if (kind == FluxKind.HELM_RELEASE) {
            if (status.get("history") instanceof List<?> history && !history.isEmpty()) {
                Map<String, Object> current = FluxObjects.map(history.get(0));
                return "deployed".equals(current.get("status")) ? FluxObjects.string(current, "chartVersion") : "";
            }
            return "";
        }
        return String.valueOf(status.getOrDefault("lastAppliedRevision", ""));
    }

    private static void dependencies(KubernetesClient client, FluxKind kind, GenericKubernetesResource object, Map<String, Object> spec,
                                     List<Map<String, Object>> waits) {
        if (!(spec.get("dependsOn") instanceof List<?> deps)) {
            return;
        }
        for (Object d : deps) {
            Map<String, Object> dep = FluxObjects.map(d);
            FluxKind depKind = FluxKind.byKind(FluxObjects.string(dep, "kind")).orElse(kind);
            String depNs = FluxObjects.string(dep, "namespace").isEmpty() ? object.getMetadata().getNamespace() : FluxObjects.string(dep, "namespace");
            String depName = FluxObjects.string(dep, "name");
            Map<String, Object> w = wait("dependsOn", depKind.kind(), depNs, depName);
            GenericKubernetesResource target = FluxObjects.get(client, depKind, depNs, depName);
            if (target == null) {
                w.put("ok", false);
                w.put("message", "not found");
            } else {
                String[] ready = FluxObjects.readyAndMessage(target);
                w.put("ok", "True".equals(ready[0]));
                w.put("message", "Ready=" + ready[0] + (ready[1].isEmpty() ? "" : ": " + ready[1]));
            }
            waits.add(w);
        }
    }

    /** Reads each inventory object once: unhealthy ones join what it waits on, fields taken by other managers are drift. */
    private static void objects(KubernetesClient client, FluxKind kind, Map<String, Object> status, List<Map<String, Object>> waits,
                                List<Map<String, Object>> drift, Map<String, Object> out) {
        if (!(status.get("inventory") instanceof Map<?, ?> inventory) || !(inventory.get("entries") instanceof List<?> entries)) {
            return;
        }
        Set<String> ours = kind == FluxKind.HELM_RELEASE ? Set.of("helm-controller", "helm") : Set.of(DiffCommand.FIELD_MANAGER);
        int checked = 0;
        for (Object e : entries) {
            if (checked++ >= MAX_OBJECTS) {
                out.put("objectsNotChecked", entries.size() - MAX_OBJECTS);
                break;
            }
            Map<String, Object> entry = FluxObjects.map(e);
            Inventory.Entry ie = new Inventory.Entry(String.valueOf(entry.get("id")), String.valueOf(entry.get("v")));
            ObjectRef ref = ie.ref();
            GenericKubernetesResource live = DiffCommand.live(client, ie);
            if (live == null) {
                Map<String, Object> w = wait("health", ref.kind(), ref.namespace(), ref.name());
                w.put("ok", false);
                w.put("message", "not found in the cluster");
                waits.add(w);
                continue;
            }
            ObjectStatus health = Kstatus.compute(Unstructured.toMap(live));
            if (!health.isCurrent()) {
                Map<String, Object> w = wait("health", ref.kind(), ref.namespace(), ref.name());
                w.put("ok", false);
                w.put("message", health.status() + (health.message() == null || health.message().isEmpty() ? "" : ": " + health.message()));
                waits.add(w);
            }
            for (ManagedFieldsEntry m : live.getMetadata().getManagedFields() == null ? List.<ManagedFieldsEntry>of()
                    : live.getMetadata().getManagedFields()) {
                if (ours.contains(m.getManager()) || "status".equals(m.getSubresource()) || m.getFieldsV1() == null) {
                    continue;
                }
                List<String> fields = new ArrayList<>();
                paths("", FluxObjects.map(m.getFieldsV1().getAdditionalProperties()), fields);
                fields.removeIf(Explanation::bookkeeping);
                if (fields.isEmpty()) {
                    continue;
                }
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("kind", ref.kind());
                d.put("namespace", ref.namespace());
                d.put("name", ref.name());
                d.put("manager", m.getManager());
                d.put("operation", m.getOperation());
                d.put("time", m.getTime());
                d.put("fields", fields);
                drift.add(d);
            }
        }
    }

    /** Fields the API server and built-in controllers keep for themselves; not a person's edit. */
    private static boolean bookkeeping(String path) {
        return path.startsWith(".status") || path.equals(".metadata.finalizers") || path.startsWith(".metadata.ownerReferences")
                || path.startsWith(".metadata.annotations.deployment.kubernetes.io/")
                || path.equals(".metadata.annotations.kubectl.kubernetes.io/last-applied-configuration");
    }

    /** The leaf paths of a managedFields fieldsV1 tree: {@code f:spec/f:replicas} gives {@code .spec.replicas}. */
    private static void paths(String prefix, Map<String, Object> node, List<String> out) {
        if (node.isEmpty() && !prefix.isEmpty()) {
            out.add(prefix);
            return;
        }
        for (Map.Entry<String, Object> e : node.entrySet()) {
            String key = e.getKey();
            if (key.equals(".")) {
                continue;
            }
            String segment = key.startsWith("f:") ? "." + key.substring(2)
                    : key.startsWith("k:") ? "[" + key.substring(2) + "]" : key.startsWith("v:") ? "[" + key.substring(2) + "]" : "." + key;
            Map<String, Object> child = FluxObjects.map(e.getValue());
            if (child.isEmpty() || (child.size() == 1 && child.containsKey("."))) {
                out.add(prefix + segment);
            } else {
                paths(prefix + segment, child, out);
            }
        }
    }

    private static List<Map<String, Object>> events(KubernetesClient client, FluxKind kind, String ns, String name, Clock clock) {
        List<Event> items = new ArrayList<>(client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> e.getInvolvedObject() != null && kind.kind().equals(e.getInvolvedObject().getKind())
                        && name.equals(e.getInvolvedObject().getName()))
                .toList());
        items.sort(Comparator.comparing(EventsCommand::lastSeen).reversed());
        List<Map<String, Object>> out = new ArrayList<>();
        for (Event e : items.subList(0, Math.min(MAX_EVENTS, items.size()))) {
            Map<String, Object> m = new LinkedHashMap<>();
            Instant seen = EventsCommand.lastSeen(e);
            m.put("time", seen.toString());
            m.put("age", EventsCommand.age(Duration.between(seen, clock.instant())));
            m.put("type", e.getType());
            m.put("reason", e.getReason());
            m.put("message", e.getMessage() == null ? "" : e.getMessage().strip());
            out.add(m);
        }
        return out;
    }

    private static Map<String, Object> wait(String step, String kind, String namespace, String name) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", step);
        m.put("kind", kind);
        m.put("namespace", namespace);
        m.put("name", name);
        return m;
    }
}
