package io.currents.ui;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The objects in an inventory as they are in the cluster: their health (kstatus, simplified), their YAML with Secret
 * values masked, and their drift — the fields that a field manager other than the Flux controller that applied them
 * changed since (the live-vs-applied difference that server-side apply records in managedFields).
 */
@ApplicationScoped
public class LiveObjects {

    /** Field managers of the Flux controllers that apply inventories. */
    static final Set<String> FLUX_MANAGERS = Set.of("kustomize-controller", "helm-controller", "gotk-sync-manager");
    static final String MASK = "*** (masked)";

    @Inject
    KubernetesClient client;

    /** One live object of an inventory. */
    public record Live(References.Entry entry, String health, String message, String href) {
    }

    public Optional<GenericKubernetesResource> get(References.Entry entry) {
        try {
            var resources = client.genericKubernetesResources(entry.apiVersion(), entry.kind());
            GenericKubernetesResource object = entry.namespace().isEmpty() ? resources.withName(entry.name()).get()
                    : resources.inNamespace(entry.namespace()).withName(entry.name()).get();
            return Optional.ofNullable(object);
        } catch (KubernetesClientException e) {
            return Optional.empty();
        }
    }

    /**
     * The health of the first {@code limit} entries. Entries of one kind in one namespace are read with one list call
     * when there are several of them (an inventory of 1,000 ConfigMaps is one request, not 1,000).
     */
    public List<Live> health(String ownerHref, List<References.Entry> entries, int limit) {
        List<References.Entry> shown = entries.subList(0, Math.min(limit, entries.size()));
        return lives(ownerHref, shown, read(shown));
    }

    /** The Live rows of {@code entries}, from objects already read by {@link #read}. */
    public static List<Live> lives(String ownerHref, List<References.Entry> entries, Map<String, GenericKubernetesResource> found) {
        List<Live> live = new ArrayList<>();
        for (References.Entry entry : entries) {
            GenericKubernetesResource object = found.get(entry.id());
            String[] health = object == null ? new String[]{"NotFound", "not in the cluster (or not readable by the UI)"} : health(object);
            live.add(new Live(entry, health[0], health[1], ownerHref + "?diff=" + entry.id()));
        }
        return live;
    }

    /** How long one list of a kind in a namespace is reused for health (pages refresh on changes of Flux objects). */
    static final long LIST_TTL_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    /** Lists kept at most; the oldest go first. */
    static final int LIST_CACHE_SIZE = 64;

    /** A list of one kind in one namespace, by name, and when it was read; the future makes parallel requests share one call. */
    private record CachedList(long readAt, java.util.concurrent.CompletableFuture<Map<String, GenericKubernetesResource>> items) {
    }

    private final Map<String, CachedList> lists = new LinkedHashMap<>();

    /**
     * Reads the live objects of entries, by inventory id. Kinds with at least 3 entries in a namespace are read with one
     * list call, reused for {@link #LIST_TTL_NANOS} across requests (a graph or an inventory is at most that old).
     */
    public Map<String, GenericKubernetesResource> read(java.util.Collection<References.Entry> shown) {
        Map<String, List<References.Entry>> groups = new LinkedHashMap<>();
        for (References.Entry entry : shown) {
            groups.computeIfAbsent(entry.apiVersion() + "|" + entry.kind() + "|" + entry.namespace(), k -> new ArrayList<>()).add(entry);
        }
        Map<String, GenericKubernetesResource> found = new java.util.HashMap<>();
        for (Map.Entry<String, List<References.Entry>> group : groups.entrySet()) {
            if (group.getValue().size() < 3) {
                group.getValue().forEach(e -> get(e).ifPresent(o -> found.put(e.id(), o)));
                continue;
            }
            Map<String, GenericKubernetesResource> byName = list(group.getKey(), group.getValue().get(0));
            for (References.Entry e : group.getValue()) {
                GenericKubernetesResource item = byName.get(e.name());
                if (item != null) {
                    found.put(e.id(), item);
                }
            }
        }
        return found;
    }

    private Map<String, GenericKubernetesResource> list(String key, References.Entry first) {
        java.util.concurrent.CompletableFuture<Map<String, GenericKubernetesResource>> mine = new java.util.concurrent.CompletableFuture<>();
        CachedList cached;
        synchronized (lists) {
            cached = lists.get(key);
            if (cached == null || System.nanoTime() - cached.readAt() > LIST_TTL_NANOS || cached.items().isCompletedExceptionally()) {
                lists.remove(key);
                if (lists.size() >= LIST_CACHE_SIZE) {
                    lists.remove(lists.keySet().iterator().next());
                }
                cached = new CachedList(System.nanoTime(), mine);
                lists.put(key, cached);
            }
        }
        if (cached.items() == mine) {
            Map<String, GenericKubernetesResource> byName = new java.util.HashMap<>();
            try {
                var resources = client.genericKubernetesResources(first.apiVersion(), first.kind());
                var items = first.namespace().isEmpty() ? resources.list().getItems() : resources.inNamespace(first.namespace()).list().getItems();
                items.forEach(item -> byName.put(item.getMetadata().getName(), item));
            } catch (KubernetesClientException e) {
                // not readable: reported as not found, and read again on the next request
                synchronized (lists) {
                    lists.remove(key, cached);
                }
            }
            mine.complete(byName);
        }
        return cached.items().join();
    }

    /** kstatus in short: Failed/InProgress from the Ready/Available conditions and replica counts, else Current. */
    static String[] health(GenericKubernetesResource object) {
        Object status = object.getAdditionalProperties().get("status");
        Long generation = object.getMetadata().getGeneration();
        Object observed = Maps.at(status, "observedGeneration");
        if (generation != null && observed instanceof Number n && n.longValue() < generation) {
            return new String[]{"InProgress", "generation " + generation + " not observed yet"};
        }
        for (Object c : Maps.list(Maps.at(status, "conditions"))) {
            String type = Maps.string(c, "type");
            if (("Ready".equals(type) || "Available".equals(type)) && "False".equals(Maps.string(c, "status"))) {
                return new String[]{"Failed".equals(Maps.string(c, "reason")) ? "Failed" : "InProgress",
                        Optional.ofNullable(Maps.string(c, "message")).orElse("")};
            }
        }
        Object replicas = Maps.at(object.getAdditionalProperties().get("spec"), "replicas");
        if (replicas instanceof Number wanted && wanted.intValue() > 0) {
            Object ready = Maps.at(status, "readyReplicas");
            int have = ready instanceof Number r ? r.intValue() : 0;
            if (have < wanted.intValue()) {
                return new String[]{"InProgress", have + "/" + wanted + " replicas ready"};
            }
        }
        return new String[]{"Current", ""};
    }

    /** The object as YAML without managedFields, Secret values and last-applied annotations replaced by a mask. */
    public static String maskedYaml(GenericKubernetesResource object) {
        return Serialization.asYaml(masked(object));
    }

    static Map<String, Object> masked(GenericKubernetesResource object) {
        Map<String, Object> map = new LinkedHashMap<>(Serialization.jsonMapper().convertValue(object, Map.class));
        Map<String, Object> metadata = new LinkedHashMap<>(Maps.map(map.get("metadata")));
        metadata.remove("managedFields");
        Map<String, Object> annotations = new LinkedHashMap<>(Maps.map(metadata.get("annotations")));
        if (annotations.containsKey("kubectl.kubernetes.io/last-applied-configuration")) {
            annotations.put("kubectl.kubernetes.io/last-applied-configuration", MASK);
            metadata.put("annotations", annotations);
        }
        map.put("metadata", metadata);
        if ("Secret".equals(object.getKind())) {
            for (String field : List.of("data", "stringData")) {
                Map<String, Object> values = new LinkedHashMap<>(Maps.map(map.get(field)));
                values.replaceAll((k, v) -> MASK);
                if (!values.isEmpty()) {
                    map.put(field, values);
                }
            }
        }
        return map;
    }

    /** A field changed by someone other than the Flux controller, with its live value (masked for Secrets). */
    public record Drift(String manager, String operation, String time, String path, String value) {
    }

    public static List<Drift> drift(GenericKubernetesResource object) {
        List<Drift> drift = new ArrayList<>();
        Map<String, Object> live = masked(object);
        for (ManagedFieldsEntry entry : object.getMetadata().getManagedFields()) {
            if (FLUX_MANAGERS.contains(entry.getManager()) || entry.getFieldsV1() == null || "status".equals(entry.getSubresource())) {
                continue;
            }
            Map<String, Object> fields = Maps.map(entry.getFieldsV1().getAdditionalProperties());
            collect(fields, live, "", entry, drift);
        }
        return drift;
    }

    private static void collect(Map<String, Object> fields, Object live, String path, ManagedFieldsEntry entry, List<Drift> out) {
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            String key = field.getKey();
            if (key.equals(".")) {
                continue;
            }
            Map<String, Object> children = Maps.map(field.getValue());
            if (key.startsWith("f:")) {
                String name = key.substring(2);
                Object value = live instanceof Map<?, ?> m ? m.get(name) : null;
                String childPath = path + "." + name;
                if (children.isEmpty() || children.keySet().stream().allMatch("."::equals)) {
                    out.add(new Drift(entry.getManager(), entry.getOperation(), entry.getTime(), childPath,
                            value instanceof Map || value instanceof List ? Serialization.asJson(value) : String.valueOf(value)));
                } else {
                    collect(children, value, childPath, entry, out);
                }
            } else {
                // list items (k:{...}, v:..., i:N): reported as the list's path with the item's key
                out.add(new Drift(entry.getManager(), entry.getOperation(), entry.getTime(), path + "[" + key + "]", "(list item)"));
            }
        }
    }
}
