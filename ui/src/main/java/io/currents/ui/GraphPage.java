package io.currents.ui;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.quarkus.qute.Template;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The graph of one namespace, as nested lists (links, so the keyboard walks it): each source, the Kustomizations and
 * HelmReleases that read it, what each depends on, and the objects in each inventory with their health. Objects whose
 * source is in another namespace or missing are listed after the sources.
 */
@Path("/graph")
public class GraphPage {

    /** Inventory objects read live for one graph; the rest are listed without health. */
    static final int LIVE_LIMIT = 2000;
    /** Inventory objects shown under one node. */
    static final int PER_NODE = 50;

    @Inject
    Template graph;

    @Inject
    ObjectStore store;

    @Inject
    LiveObjects liveObjects;

    @Inject
    Layout layout;

    /** A node: a Flux object, what it depends on, its inventory, and the nodes that read it. */
    public record Node(ObjectSummary summary, List<References.Ref> dependsOn, List<LiveObjects.Live> inventory, int inventoryCount,
                       List<Node> consumers) {
        /** Inventory objects not shown. */
        public int hidden() {
            return inventoryCount - inventory.size();
        }

        /** The health of the shown inventory objects, counted: "48 Current, 2 InProgress". */
        public String healthCounts() {
            Map<String, Integer> counts = new java.util.TreeMap<>();
            inventory.forEach(l -> counts.merge(l.health(), 1, Integer::sum));
            return String.join(", ", counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).toList());
        }
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response get(@QueryParam("namespace") String namespace) {
        TreeSet<String> namespaces = new TreeSet<>();
        store.all().forEach(s -> namespaces.add(s.namespace()));
        String selected = namespace == null || namespace.isBlank() ? (namespaces.isEmpty() ? null : namespaces.first()) : namespace;
        List<Node> roots = new ArrayList<>();
        List<Node> orphans = new ArrayList<>();
        if (selected != null) {
            build(selected, roots, orphans);
        }
        return Response.ok(layout.page(graph).data("namespaces", namespaces).data("selected", selected)
                .data("roots", roots).data("orphans", orphans)).build();
    }

    private void build(String namespace, List<Node> roots, List<Node> orphans) {
        List<ObjectSummary> sources = new ArrayList<>();
        List<ObjectSummary> appliers = new ArrayList<>();
        for (ObjectSummary s : store.all()) {
            if (!namespace.equals(s.namespace())) {
                continue;
            }
            if (s.fluxKind().isSource()) {
                sources.add(s);
            } else if ("Kustomization".equals(s.kind()) || "HelmRelease".equals(s.kind())) {
                appliers.add(s);
            }
        }
        // every inventory object shown is read in one pass: one list call per kind and namespace
        Map<String, List<References.Entry>> shown = new LinkedHashMap<>();
        int budget = LIVE_LIMIT;
        for (ObjectSummary s : appliers) {
            List<References.Entry> entries = store.object(s.kind(), s.namespace(), s.name()).map(References::inventory).orElse(List.of());
            List<References.Entry> part = entries.subList(0, Math.min(entries.size(), Math.max(0, Math.min(budget, PER_NODE))));
            budget -= part.size();
            shown.put(s.key(), part);
        }
        Map<String, GenericKubernetesResource> live = liveObjects.read(shown.values().stream().flatMap(List::stream).toList());
        Map<String, List<Node>> consumersBySource = new LinkedHashMap<>();
        for (ObjectSummary s : appliers) {
            GenericKubernetesResource object = store.object(s.kind(), s.namespace(), s.name()).orElse(null);
            if (object == null) {
                continue;
            }
            Node node = new Node(s, References.dependsOn(s.fluxKind(), object),
                    LiveObjects.lives(s.href(), shown.get(s.key()), live), References.inventory(object).size(), List.of());
            Optional<References.Ref> source = References.source(store, s.fluxKind(), object);
            String key = source.map(r -> ObjectSummary.key(r.kind(), r.namespace(), r.name())).orElse("");
            consumersBySource.computeIfAbsent(key, k -> new ArrayList<>()).add(node);
        }
        for (ObjectSummary source : sources) {
            List<Node> consumers = consumersBySource.remove(source.key());
            roots.add(new Node(source, List.of(), List.of(), 0, consumers == null ? List.of() : consumers));
        }
        consumersBySource.values().forEach(orphans::addAll);
    }
}
