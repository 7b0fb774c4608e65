package io.currents.cli.ops;

import io.currents.cli.output.CliException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads Flux objects of any kind as unstructured maps and answers the status questions the commands ask. */
public final class FluxObjects {

    private FluxObjects() {
    }

    /** The object, or null when it does not exist. */
    public static GenericKubernetesResource get(KubernetesClient client, FluxKind kind, String namespace, String name) {
        try {
            return client.genericKubernetesResources(kind.context()).inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    /** The object, or a one-sentence error saying it is missing. */
    public static GenericKubernetesResource require(KubernetesClient client, FluxKind kind, String namespace, String name) {
        GenericKubernetesResource object = get(client, kind, namespace, name);
        if (object == null) {
            throw new CliException(kind.kind() + " '" + namespace + "/" + name + "' not found; check the name or pass the right --namespace");
        }
        return object;
    }

    /**
     * Objects of one kind sorted by namespace and name; {@code namespace} null lists all namespaces. Returns
     * {@link Optional#empty()} when the kind is not served (its CRD is not installed).
     */
    public static Optional<List<GenericKubernetesResource>> list(KubernetesClient client, FluxKind kind, String namespace) {
        return list(client, kind, namespace, null);
    }

    /** As {@link #list(KubernetesClient, FluxKind, String)}, only the objects matching a label selector (null: all). */
    public static Optional<List<GenericKubernetesResource>> list(KubernetesClient client, FluxKind kind, String namespace,
                                                                 String labelSelector) {
        try {
            var resources = client.genericKubernetesResources(kind.context());
            var scope = namespace == null ? resources.inAnyNamespace() : resources.inNamespace(namespace);
            List<GenericKubernetesResource> items = new ArrayList<>(labelSelector == null || labelSelector.isBlank()
                    ? scope.list().getItems() : scope.withLabelSelector(labelSelector).list().getItems());
            items.sort(Comparator.comparing((GenericKubernetesResource o) -> o.getMetadata().getNamespace())
                    .thenComparing(o -> o.getMetadata().getName()));
            return Optional.of(items);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    public static Map<String, Object> spec(GenericKubernetesResource object) {
        return map(object.getAdditionalProperties().get("spec"));
    }

    public static Map<String, Object> status(GenericKubernetesResource object) {
        return map(object.getAdditionalProperties().get("status"));
    }

    /** A nested string, or "" when any step is missing. */
    public static String string(Map<String, Object> root, String... path) {
        Object current = root;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> m)) {
                return "";
            }
            current = m.get(key);
        }
        return current == null ? "" : String.valueOf(current);
    }

    public static boolean suspended(GenericKubernetesResource object) {
        return Boolean.TRUE.equals(spec(object).get("suspend"));
    }

    /** An ArtifactGenerator's suspension: its {@code source.extensions.fluxcd.io/reconcile} annotation says disabled. */
    public static boolean reconcileDisabled(GenericKubernetesResource object) {
        var annotations = object.getMetadata().getAnnotations();
        return annotations != null && "disabled".equalsIgnoreCase(annotations.get("source.extensions.fluxcd.io/reconcile"));
    }

    /** An ExternalArtifact's producer as flux prints it, {@code Kind/namespace/name}, or "" without one. */
    public static String producer(GenericKubernetesResource object) {
        Map<String, Object> ref = map(spec(object).get("sourceRef"));
        return ref.isEmpty() ? "" : string(ref, "kind") + "/" + string(ref, "namespace") + "/" + string(ref, "name");
    }

    /** The condition of that type, if the status has it. */
    public static Optional<Map<String, Object>> condition(GenericKubernetesResource object, String type) {
        if (status(object).get("conditions") instanceof List<?> conditions) {
            for (Object c : conditions) {
                Map<String, Object> condition = map(c);
                if (type.equals(condition.get("type"))) {
                    return Optional.of(condition);
                }
            }
        }
        return Optional.empty();
    }

    /** Flux's Ready column and message: the Ready condition, or False / "waiting to be reconciled" without one. */
    public static String[] readyAndMessage(GenericKubernetesResource object) {
        return condition(object, "Ready")
                .map(c -> new String[] {String.valueOf(c.get("status")), c.get("message") == null ? "" : String.valueOf(c.get("message"))})
                .orElse(new String[] {"False", "waiting to be reconciled"});
    }

    /** The revision flux shows for the kind: applied revision for Kustomizations, artifact revision for sources. */
    public static String revision(FluxKind kind, GenericKubernetesResource object) {
        Map<String, Object> status = status(object);
        return switch (kind) {
            case KUSTOMIZATION -> string(status, "lastAppliedRevision");
            case HELM_RELEASE -> {
                if (status.get("history") instanceof List<?> history && !history.isEmpty()) {
                    yield string(map(history.get(0)), "chartVersion");
                }
                yield string(status, "lastAttemptedRevision");
            }
            default -> string(status, "artifact", "revision");
        };
    }

    public static String title(boolean value) {
        return value ? "True" : "False";
    }
}
