package io.currents.cli.plan;

import io.currents.kustomize.yaml.YamlWriter;
import io.currents.runtime.apply.ObjectRef;
import io.currents.runtime.apply.Unstructured;
import io.currents.runtime.sops.SopsDecryptor;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import org.eclipse.jgit.diff.DiffAlgorithm;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.EditList;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.diff.RawTextComparator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The difference between the graphs of two revisions: per applier, the objects created, updated (with a unified
 * diff of their YAML), deleted (pruned) or left behind (no longer applied, prune disabled). An object that moves
 * from one applier to another is an update of the new applier, not a deletion. Secret values and SOPS-encrypted
 * values are compared by hash and never printed.
 */
final class Plan {

    enum Action { DELETE, CREATE, UPDATE, ORPHAN }

    record Change(Action action, Graph.Applier applier, String apiVersion, String kind, String namespace, String name, String diff) {
        String subject() {
            return kind + " " + (namespace == null || namespace.isEmpty() ? "" : namespace + "/") + name;
        }
    }

    final String path;
    final String base;
    final String head;
    final List<Change> changes = new ArrayList<>();
    final List<Graph.NotPlanned> notPlanned = new ArrayList<>();
    final List<Graph.NotPlanned> partial = new ArrayList<>();
    final List<String> errors = new ArrayList<>();
    int unchanged;

    Plan(String path, String base, String head) {
        this.path = path;
        this.base = base;
        this.head = head;
    }

    static Plan between(String path, Graph base, Graph head) {
        Plan plan = new Plan(path, base.revision, head.revision);
        Map<ObjectRef, GenericKubernetesResource> before = new LinkedHashMap<>();
        base.groups.values().forEach(g -> g.objects().forEach(o -> before.put(ObjectRef.of(o), o)));
        Set<ObjectRef> after = new LinkedHashSet<>();
        head.groups.values().forEach(g -> g.objects().forEach(o -> after.add(ObjectRef.of(o))));
        Set<Graph.Applier> appliers = new LinkedHashSet<>(head.groups.keySet());
        appliers.addAll(base.groups.keySet());
        // an applier that fails to build at the head applies nothing and prunes nothing: the controller stops there
        head.failures.forEach(f -> appliers.remove(f.applier()));
        for (Graph.Applier applier : appliers) {
            Graph.Group was = base.groups.get(applier);
            Graph.Group now = head.groups.get(applier);
            if (now != null) {
                for (GenericKubernetesResource o : now.objects()) {
                    GenericKubernetesResource old = before.get(ObjectRef.of(o));
                    if (old == null) {
                        plan.changes.add(change(Action.CREATE, applier, o, unified("", shown(o))));
                    } else {
                        String diff = unified(shown(old), shown(o));
                        if (diff.isEmpty()) {
                            plan.unchanged++;
                        } else {
                            plan.changes.add(change(Action.UPDATE, applier, o, diff));
                        }
                    }
                }
            }
            if (was != null) {
                // a removed Kustomization garbage-collects what it applied when it prunes; a kept one per its head spec
                boolean prune = now == null ? was.prune() : now.prune();
                for (GenericKubernetesResource o : was.objects()) {
                    if (!after.contains(ObjectRef.of(o))) {
                        plan.changes.add(change(prune ? Action.DELETE : Action.ORPHAN, applier, o, prune ? unified(shown(o), "") : ""));
                    }
                }
            }
        }
        Set<Graph.Applier> listed = new LinkedHashSet<>();
        for (Graph.NotPlanned n : head.notPlanned) {
            if (listed.add(n.applier())) {
                plan.notPlanned.add(n);
            }
        }
        head.partial.forEach(plan.partial::add);
        base.failures.forEach(f -> plan.errors.add(f.applier().title() + " at base " + base.revision + ": " + f.message()));
        head.failures.forEach(f -> plan.errors.add(f.applier().title() + " at head " + head.revision + ": " + f.message()));
        return plan;
    }

    long count(Action action) {
        return changes.stream().filter(c -> c.action() == action).count();
    }

    boolean changed() {
        return !changes.isEmpty();
    }

    static Change change(Action action, Graph.Applier applier, GenericKubernetesResource o, String diff) {
        return new Change(action, applier, o.getApiVersion(), o.getKind(), o.getMetadata().getNamespace(), o.getMetadata().getName(), diff);
    }

    /** The object as compared and printed: no status; Secret values and SOPS ciphertexts as short hashes. */
    static String shown(GenericKubernetesResource object) {
        Map<String, Object> map = new LinkedHashMap<>(Unstructured.toMap(object));
        map.remove("status");
        boolean encrypted = SopsDecryptor.isEncrypted(map);
        if (encrypted) {
            map.remove(SopsDecryptor.METADATA_KEY);
        }
        Object masked = mask(map, encrypted, "Secret".equals(object.getKind()), "");
        return YamlWriter.toYaml(masked);
    }

    private static Object mask(Object value, boolean encrypted, boolean secret, String path) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), mask(v, encrypted, secret, path.isEmpty() ? String.valueOf(k) : path + "." + k)));
            return out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(v -> out.add(mask(v, encrypted, secret, path)));
            return out;
        }
        if (value instanceof String s && encrypted && s.startsWith("ENC[")) {
            return "ENC[sha256:" + hash(s) + "]";
        }
        if (secret && value != null && (path.startsWith("data.") || path.startsWith("stringData."))) {
            return "sha256:" + hash(String.valueOf(value));
        }
        return value;
    }

    private static String hash(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A unified diff of two texts (three lines of context), empty when they are equal. */
    static String unified(String before, String after) {
        if (before.equals(after)) {
            return "";
        }
        RawText a = new RawText(before.getBytes(StandardCharsets.UTF_8));
        RawText b = new RawText(after.getBytes(StandardCharsets.UTF_8));
        EditList edits = DiffAlgorithm.getAlgorithm(DiffAlgorithm.SupportedAlgorithm.HISTOGRAM).diff(RawTextComparator.DEFAULT, a, b);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DiffFormatter formatter = new DiffFormatter(out)) {
            formatter.setContext(3);
            formatter.format(edits, a, b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "--- base\n+++ head\n" + out.toString(StandardCharsets.UTF_8);
    }
}
