package io.currents.notification.controller;

import io.currents.api.meta.LocalObjectReference;
import io.currents.api.notification.v1.Receiver;
import io.currents.api.notification.v1.ReceiverResource;
import io.currents.api.notification.v1.ReceiverSpec;
import io.currents.api.source.v1.OCIRepository;
import io.currents.api.source.v1.OCIRepositorySpec;
import io.currents.runtime.reconcile.Conditions;
import io.currents.runtime.reconcile.ReconcileRequest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** One test's namespace with OCIRepositories to reconcile and Receivers for them, and a client for the webhook endpoint. */
final class ReceiverScenario {

    final NotificationScenario s;
    private final ReceiverServer server;
    private final NotificationObjects objects;
    private final HttpClient http = HttpClient.newHttpClient();

    ReceiverScenario(String prefix, NotificationObjects objects, ReceiverServer server, String... repositories) {
        this.s = new NotificationScenario(prefix, objects);
        this.server = server;
        this.objects = objects;
        s.secret("token", Map.of("token", "registry-token"));
        for (String name : repositories) {
            repository(name, Map.of());
        }
    }

    void repository(String name, Map<String, String> labels) {
        OCIRepository repo = new OCIRepository();
        repo.getMetadata().setName(name);
        repo.getMetadata().setNamespace(s.namespace);
        repo.getMetadata().setLabels(labels.isEmpty() ? null : labels);
        OCIRepositorySpec spec = new OCIRepositorySpec();
        spec.setUrl("oci://ghcr.io/acme/" + name);
        spec.setInterval("10m");
        repo.setSpec(spec);
        s.client.resources(OCIRepository.class).inNamespace(s.namespace).resource(repo).create();
    }

    static ReceiverResource resource(String name) {
        ReceiverResource resource = new ReceiverResource();
        resource.setKind("OCIRepository");
        resource.setName(name);
        return resource;
    }

    /** A Receiver of this type (Secret {@code token} unless generic-oidc) for one OCIRepository; its webhook path once Ready. */
    String receiver(String name, String type, String repository) {
        return receiver(name, type, spec -> spec.setResources(List.of(resource(repository))));
    }

    String receiver(String name, String type, Consumer<ReceiverSpec> customize) {
        create(name, type, customize);
        NotificationScenario.await(() -> {
            Receiver current = get(name);
            return current.getStatus() != null && Conditions.isTrue(current.getStatus().getConditions(), Conditions.READY);
        }, "receiver " + name + " Ready");
        String path = get(name).getStatus().getWebhookPath();
        // the webhook server answers from the controller's informer cache, which sees the Ready status a moment after
        // the API server does: a call made before then gets 404 (unknown path) or 503 (not ready)
        NotificationScenario.await(() -> objects.receiverFor(path)
                .filter(cached -> cached.getStatus() != null && Conditions.isTrue(cached.getStatus().getConditions(), Conditions.READY))
                .isPresent(), "receiver " + name + " known to the webhook server");
        return path;
    }

    void create(String name, String type, Consumer<ReceiverSpec> customize) {
        Receiver r = new Receiver();
        r.getMetadata().setName(name);
        r.getMetadata().setNamespace(s.namespace);
        ReceiverSpec spec = new ReceiverSpec();
        spec.setType(type);
        if (!Receiver.TYPE_GENERIC_OIDC.equals(type)) {
            LocalObjectReference ref = new LocalObjectReference();
            ref.setName("token");
            spec.setSecretRef(ref);
        }
        customize.accept(spec);
        r.setSpec(spec);
        s.client.resources(Receiver.class).inNamespace(s.namespace).resource(r).create();
    }

    Receiver get(String name) {
        return s.client.resources(Receiver.class).inNamespace(s.namespace).withName(name).get();
    }

    String requestedAt(String repository) {
        Map<String, String> annotations = s.client.resources(OCIRepository.class).inNamespace(s.namespace).withName(repository)
                .get().getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(ReconcileRequest.REQUESTED_AT_ANNOTATION);
    }

    /** Clears the request annotation, so that the next call is seen to annotate again. */
    void clear(String repository) {
        s.client.resources(OCIRepository.class).inNamespace(s.namespace).withName(repository).edit(r -> {
            if (r.getMetadata().getAnnotations() != null) {
                r.getMetadata().getAnnotations().remove(ReconcileRequest.REQUESTED_AT_ANNOTATION);
            }
            return r;
        });
    }

    int call(String path, String body, Map<String, String> headers) throws Exception {
        return call(path, body, "application/json", headers);
    }

    int call(String path, String body, String contentType, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", contentType);
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
