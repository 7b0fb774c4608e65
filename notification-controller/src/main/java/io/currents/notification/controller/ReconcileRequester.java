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
import java.util.List;

/**
 * Asks for the immediate reconciliation of a Receiver's resources by setting {@code reconcile.fluxcd.io/requestedAt}
 * on each (a single object, or with name {@code *} every object of the kind matching the labels).
 */
final class ReconcileRequester {

    private final KubernetesClient client;
    private final boolean noCrossNamespaceRefs;

    ReconcileRequester(KubernetesClient client, boolean noCrossNamespaceRefs) {
        this.client = client;
        this.noCrossNamespaceRefs = noCrossNamespaceRefs;
    }

    /** Annotates every resource; returns the objects annotated ({@code Kind/namespace/name}). */
    List<String> request(Receiver receiver) throws DispatchException {
        String requestedAt = Instant.now().toString();
        List<String> annotated = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (ReceiverResource resource : receiver.getSpec().getResources()) {
            String namespace = resource.getNamespace() == null || resource.getNamespace().isEmpty()
                    ? receiver.getMetadata().getNamespace() : resource.getNamespace();
            if (noCrossNamespaceRefs && !namespace.equals(receiver.getMetadata().getNamespace())) {
                failures.add(resource.getKind() + "/" + namespace + "/" + resource.getName() + ": cross-namespace references are not allowed");
                continue;
            }
            String apiVersion = resource.getApiVersion() == null || resource.getApiVersion().isEmpty()
                    ? FluxKinds.apiVersionOf(resource.getKind()) : resource.getApiVersion();
            if (apiVersion == null) {
                failures.add("unknown kind " + resource.getKind());
                continue;
            }
            try {
                var objects = client.genericKubernetesResources(apiVersion, resource.getKind()).inNamespace(namespace);
                List<String> names = new ArrayList<>();
                if ("*".equals(resource.getName())) {
                    var list = resource.getMatchLabels() == null || resource.getMatchLabels().isEmpty()
                            ? objects.list() : objects.withLabels(resource.getMatchLabels()).list();
                    for (GenericKubernetesResource o : list.getItems()) {
                        names.add(o.getMetadata().getName());
                    }
                } else {
                    names.add(resource.getName());
                }
                String patch = "{\"metadata\":{\"annotations\":{\"" + ReconcileRequest.REQUESTED_AT_ANNOTATION + "\":\"" + requestedAt + "\"}}}";
                for (String name : names) {
                    String subject = resource.getKind() + "/" + namespace + "/" + name;
                    try {
                        objects.withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
                        annotated.add(subject);
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
}
