package io.currents.cli.ops;

import io.currents.runtime.apply.Unstructured;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Plain-map views of objects for printing: the whole object, or flux export's form without status and server fields. */
public final class ObjectMaps {

    private static final List<String> SERVER_METADATA = List.of("uid", "resourceVersion", "generation", "creationTimestamp",
            "managedFields", "selfLink", "ownerReferences", "finalizers", "deletionTimestamp", "deletionGracePeriodSeconds");

    private ObjectMaps() {
    }

    public static Map<String, Object> toMap(HasMetadata object) {
        return Unstructured.toMap(object);
    }

    /** What {@code flux export} keeps: apiVersion, kind, name, namespace, labels, annotations and spec. */
    public static Map<String, Object> exported(HasMetadata object) {
        Map<String, Object> full = toMap(object);
        Map<String, Object> result = new LinkedHashMap<>(full);
        result.remove("status");
        Map<String, Object> metadata = new LinkedHashMap<>(FluxObjects.map(full.get("metadata")));
        SERVER_METADATA.forEach(metadata::remove);
        if (metadata.get("annotations") instanceof Map<?, ?> annotations) {
            Map<String, Object> kept = new LinkedHashMap<>(FluxObjects.map(annotations));
            kept.remove("kubectl.kubernetes.io/last-applied-configuration");
            if (kept.isEmpty()) {
                metadata.remove("annotations");
            } else {
                metadata.put("annotations", kept);
            }
        }
        result.put("metadata", metadata);
        return result;
    }
}
