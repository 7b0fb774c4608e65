package io.currents.ui;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The references between Flux objects: sources, dependsOn, inventory entries. */
public final class References {

    private References() {
    }

    /** A reference to an object by kind, namespace and name. */
    public record Ref(String kind, String namespace, String name) {
        public String href() {
            return "/objects/" + kind + "/" + namespace + "/" + name;
        }

        @Override
        public String toString() {
            return kind + " " + namespace + "/" + name;
        }
    }

    /** One object of an inventory (Flux's id: namespace_name_group_kind). */
    public record Entry(String namespace, String name, String group, String kind, String version) {
        static Optional<Entry> parse(String id, String version) {
            String[] parts = id == null ? new String[0] : id.split("_", -1);
            if (parts.length != 4) {
                return Optional.empty();
            }
            return Optional.of(new Entry(parts[0], parts[1], parts[2], parts[3], version));
        }

        public String apiVersion() {
            return group.isEmpty() ? version : group + "/" + version;
        }

        public String label() {
            return kind + " " + (namespace.isEmpty() ? "" : namespace + "/") + name;
        }

        public String id() {
            return namespace + "_" + name + "_" + group + "_" + kind;
        }
    }

    /**
     * The source an object reads: sourceRef (Kustomization, HelmChart), the HelmChart a HelmRelease's chart template
     * creates (status.helmChart, else namespace-name in the source's namespace), or chartRef.
     */
    static Optional<Ref> source(ObjectStore store, FluxKind kind, GenericKubernetesResource object) {
        Object spec = object.getAdditionalProperties().get("spec");
        String namespace = object.getMetadata().getNamespace();
        if ("HelmRelease".equals(kind.kind())) {
            Object chartRef = Maps.at(spec, "chartRef");
            if (chartRef != null) {
                return ref(chartRef, namespace);
            }
            String helmChart = Maps.string(object.getAdditionalProperties().get("status"), "helmChart");
            if (helmChart != null && helmChart.contains("/")) {
                return Optional.of(new Ref("HelmChart", helmChart.substring(0, helmChart.indexOf('/')),
                        helmChart.substring(helmChart.indexOf('/') + 1)));
            }
            Object sourceRef = Maps.at(spec, "chart", "spec", "sourceRef");
            if (sourceRef != null) {
                String sourceNamespace = Optional.ofNullable(Maps.string(sourceRef, "namespace")).orElse(namespace);
                return Optional.of(new Ref("HelmChart", sourceNamespace, namespace + "-" + object.getMetadata().getName()));
            }
            return Optional.empty();
        }
        Object sourceRef = Maps.at(spec, "sourceRef");
        return sourceRef == null ? Optional.empty() : ref(sourceRef, namespace);
    }

    private static Optional<Ref> ref(Object ref, String defaultNamespace) {
        String kind = Maps.string(ref, "kind");
        String name = Maps.string(ref, "name");
        if (kind == null || name == null) {
            return Optional.empty();
        }
        return Optional.of(new Ref(kind, Optional.ofNullable(Maps.string(ref, "namespace")).orElse(defaultNamespace), name));
    }

    /** spec.dependsOn of a Kustomization or HelmRelease (same kind). */
    static List<Ref> dependsOn(FluxKind kind, GenericKubernetesResource object) {
        List<Ref> refs = new ArrayList<>();
        for (Object dep : Maps.list(Maps.at(object.getAdditionalProperties().get("spec"), "dependsOn"))) {
            String name = Maps.string(dep, "name");
            if (name != null) {
                refs.add(new Ref(kind.kind(), Optional.ofNullable(Maps.string(dep, "namespace"))
                        .orElse(object.getMetadata().getNamespace()), name));
            }
        }
        return refs;
    }

    /** status.inventory.entries. */
    static List<Entry> inventory(GenericKubernetesResource object) {
        List<Entry> entries = new ArrayList<>();
        for (Object e : Maps.list(Maps.at(object.getAdditionalProperties().get("status"), "inventory", "entries"))) {
            Map<String, Object> entry = Maps.map(e);
            Entry.parse(Maps.string(entry, "id"), Maps.string(entry, "v")).ifPresent(entries::add);
        }
        return entries;
    }
}
