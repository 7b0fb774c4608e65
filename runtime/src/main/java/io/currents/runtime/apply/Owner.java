package io.currents.runtime.apply;

import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Flux object that applied a set of objects, recorded on each of them as the labels
 * {@code <group>/name} and {@code <group>/namespace}; pruning deletes only objects that still carry them.
 */
public record Owner(String group, String name, String namespace) {

    /** The owner labels of a Kustomization: {@code kustomize.toolkit.fluxcd.io/name} and {@code /namespace}. */
    public static Owner kustomization(String name, String namespace) {
        return new Owner(FluxMetadata.GROUP, name, namespace);
    }

    /** The owner labels of a HelmRelease: {@code helm.toolkit.fluxcd.io/name} and {@code /namespace}. */
    public static Owner helmRelease(String name, String namespace) {
        return new Owner("helm.toolkit.fluxcd.io", name, namespace);
    }

    public Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(group + "/name", name);
        labels.put(group + "/namespace", namespace);
        return labels;
    }

    /** Adds the owner labels to the object (in place) and returns it. */
    public <T extends HasMetadata> T label(T object) {
        Map<String, String> labels = object.getMetadata().getLabels() == null
                ? new LinkedHashMap<>() : new LinkedHashMap<>(object.getMetadata().getLabels());
        labels.putAll(labels());
        object.getMetadata().setLabels(labels);
        return object;
    }

    /** True when the object carries both owner labels with this owner's values. */
    public boolean owns(HasMetadata object) {
        Map<String, String> labels = object.getMetadata() == null ? null : object.getMetadata().getLabels();
        return labels != null && labels().entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }
}
