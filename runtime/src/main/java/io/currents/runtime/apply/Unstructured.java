package io.currents.runtime.apply;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.List;
import java.util.Map;

/** Converts between plain JSON maps (what kustomize builds) and fabric8's {@link GenericKubernetesResource}. */
public final class Unstructured {

    private Unstructured() {
    }

    public static GenericKubernetesResource fromMap(Map<String, Object> object) {
        return Serialization.jsonMapper().convertValue(object, GenericKubernetesResource.class);
    }

    public static List<GenericKubernetesResource> fromMaps(List<Map<String, Object>> objects) {
        return objects.stream().map(Unstructured::fromMap).toList();
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> toMap(HasMetadata object) {
        return Serialization.jsonMapper().convertValue(object, Map.class);
    }

    /** A deep copy, so the caller's object is never modified by a request. */
    public static GenericKubernetesResource copy(HasMetadata object) {
        return fromMap(toMap(object));
    }
}
