package io.currents.notification.controller;

import io.currents.api.notification.v1.Receiver;
import io.currents.api.notification.v1.ReceiverResource;
import io.currents.runtime.reconcile.ReconcileRequest;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Asks for the immediate reconciliation of a Receiver's resources by setting {@code reconcile.fluxcd.io/requestedAt}
 * on each (a single object, or with name {@code *} every object of the kind matching the labels) that its filter accepts.
 */
final class ReconcileRequester {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final KubernetesClient client;
    private final boolean noCrossNamespaceRefs;

    ReconcileRequester(KubernetesClient client, boolean noCrossNamespaceRefs) {
        this.client = client;
        this.noCrossNamespaceRefs = noCrossNamespaceRefs;
    }

    /** Annotates every resource; returns the objects annotated ({@code Kind/namespace/name}). */
    List<String> request(Receiver receiver) throws DispatchException {
        List<ReceiverFilters.Filter> all = new ArrayList<>();
        receiver.getSpec().getResources().forEach(r -> all.add(ReceiverFilters.ALL));
        return request(receiver, all);
    }

    /** Annotates the resources whose filter (aligned with {@code spec.resources}) accepts them. */
    List<String> request(Receiver receiver, List<ReceiverFilters.Filter> filters) throws DispatchException {
        String requestedAt = Instant.now().toString();
        List<String> annotated = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        List<ReceiverResource> resources = receiver.getSpec().getResources();
        for (int i = 0; i < resources.size(); i++) {
            ReceiverResource resource = resources.get(i);
            ReceiverFilters.Filter filter = filters.get(i);
            String namespace = resource.getNamespace() == null || resource.getNamespace().isEmpty()
                    ? receiver.getMetadata().getNamespace() : resource.getNamespace();
            if (noCrossNamespaceRefs && !namespace.equals(receiver.getMetadata().getNamespace())) {
                failures.add(resource.getKind() + "/" + namespace + "/" + resource.getName() + ": cross-namespace references are not allowed");
                continue;
            }
            String apiVersion = resource.getApiVersion() == null || resource.getApiVersion().isEmpty()
                    ? FluxKinds.apiVersionOf(resource.getKind()) : resource.getApiVersion();
            if (apiVersion == null) {
                failures.add("apiVersion must be specified for kind \"" + resource.getKind() + "\"");
                continue;
            }
            try {
                var objects = client.genericKubernetesResources(apiVersion, resource.getKind()).inNamespace(namespace);
                List<GenericKubernetesResource> targets = new ArrayList<>();
                if ("*".equals(resource.getName())) {
                    var list = resource.getMatchLabels() == null || resource.getMatchLabels().isEmpty()
                            ? objects.list() : objects.withLabels(resource.getMatchLabels()).list();
                    targets.addAll(list.getItems());
                } else {
                    GenericKubernetesResource object = objects.withName(resource.getName()).get();
                    if (object == null) {
                        failures.add(resource.getKind() + "/" + namespace + "/" + resource.getName() + ": not found");
                        continue;
                    }
                    targets.add(object);
                }
                String patch = "{\"metadata\":{\"annotations\":{\"" + ReconcileRequest.REQUESTED_AT_ANNOTATION + "\":\"" + requestedAt + "\"}}}";
                for (GenericKubernetesResource object : targets) {
                    String subject = resource.getKind() + "/" + namespace + "/" + object.getMetadata().getName();
                    try {
                        if (!filter.accepts(metadataOf(object, apiVersion, resource.getKind()))) {
                            continue;
                        }
                        objects.withName(object.getMetadata().getName()).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
                        annotated.add(subject);
                    } catch (DispatchException e) {
                        failures.add(subject + ": " + e.getMessage());
                    } catch (KubernetesClientException e) {
                        failures.add(subject + ": " + (e.getCode() == 404 ? "not found" : ApiErrors.describe(e)));
                    }
                }
            } catch (KubernetesClientException e) {
                failures.add(resource.getKind() + "/" + namespace + "/" + resource.getName() + ": " + ApiErrors.describe(e));
            }
        }
        if (!failures.isEmpty()) {
            throw new DispatchException("could not request reconciliation of " + String.join("; ", failures), true);
        }
        return annotated;
    }

    /** What Flux's filters see as {@code res}: the object's partial metadata (apiVersion, kind, metadata). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> metadataOf(GenericKubernetesResource object, String apiVersion, String kind) {
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("apiVersion", apiVersion);
        res.put("kind", kind);
        res.put("metadata", JSON.convertValue(object.getMetadata(), Map.class));
        return res;
    }
}
