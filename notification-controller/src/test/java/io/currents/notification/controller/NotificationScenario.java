package io.currents.notification.controller;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.currents.api.meta.LocalObjectReference;
import io.currents.api.notification.v1.CrossNamespaceObjectReference;
import io.currents.api.notification.v1beta3.Alert;
import io.currents.api.notification.v1beta3.AlertSpec;
import io.currents.api.notification.v1beta3.Provider;
import io.currents.api.notification.v1beta3.ProviderSpec;
import io.currents.runtime.events.FluxEvent;
import io.currents.testkit.ControlPlane;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.eclipse.microprofile.config.ConfigProvider;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** One test's namespace with its Providers, Alerts and Secrets, and a client for the controller's events endpoint. */
final class NotificationScenario {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    final KubernetesClient client = ControlPlane.shared().client();
    final String namespace;
    private final NotificationObjects objects;
    private final HttpClient http = HttpClient.newHttpClient();

    NotificationScenario(String prefix, NotificationObjects objects) {
        this.namespace = ControlPlane.shared().createNamespace(prefix);
        this.objects = objects;
    }

    void secret(String name, Map<String, String> data) {
        client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName(name)
                .withNamespace(namespace).endMetadata().withStringData(data).build()).create();
    }

    Provider provider(String name, String type, String address, Consumer<ProviderSpec> customize) {
        Provider p = new Provider();
        p.getMetadata().setName(name);
        p.getMetadata().setNamespace(namespace);
        ProviderSpec spec = new ProviderSpec();
        spec.setType(type);
        spec.setAddress(address);
        customize.accept(spec);
        p.setSpec(spec);
        Provider created = client.resources(Provider.class).inNamespace(namespace).resource(p).create();
        await(() -> objects.provider(namespace, name).isPresent(), "provider " + name + " in the controller's cache");
        return created;
    }

    Alert alert(String name, String provider, List<CrossNamespaceObjectReference> sources, Consumer<AlertSpec> customize) {
        Alert a = new Alert();
        a.getMetadata().setName(name);
        a.getMetadata().setNamespace(namespace);
        AlertSpec spec = new AlertSpec();
        LocalObjectReference ref = new LocalObjectReference();
        ref.setName(provider);
        spec.setProviderRef(ref);
        spec.setEventSources(sources);
        customize.accept(spec);
        a.setSpec(spec);
        Alert created = client.resources(Alert.class).inNamespace(namespace).resource(a).create();
        await(() -> objects.alert(namespace, name).isPresent(), "alert " + name + " in the controller's cache");
        return created;
    }

    /** A Provider of this type and an Alert sending it every Kustomization event of the namespace. */
    Provider route(String name, String type, String address, Consumer<ProviderSpec> customize) {
        Provider provider = provider(name, type, address, customize);
        alert(name, name, List.of(source("Kustomization", "*")), spec -> { });
        return provider;
    }

    /** A Secret reference for a ProviderSpec. */
    static LocalObjectReference ref(String name) {
        LocalObjectReference ref = new LocalObjectReference();
        ref.setName(name);
        return ref;
    }

    /** The Warning events recorded on an Alert with this reason, as a test waits for them. */
    List<Event> awaitWarning(String alert, String reason) {
        await(() -> eventsOn(alert).stream().anyMatch(e -> reason.equals(e.getReason())), reason + " event on alert " + alert);
        return eventsOn(alert).stream().filter(e -> reason.equals(e.getReason())).toList();
    }

    static CrossNamespaceObjectReference source(String kind, String name) {
        CrossNamespaceObjectReference ref = new CrossNamespaceObjectReference();
        ref.setKind(kind);
        ref.setName(name);
        return ref;
    }

    FluxEvent event(String kind, String name, String severity, String reason, String message, Map<String, String> metadata) {
        String apiVersion = FluxKinds.apiVersionOf(kind);
        return new FluxEvent(new ObjectReferenceBuilder().withApiVersion(apiVersion).withKind(kind).withName(name)
                .withNamespace(namespace).withUid("0c9c2e41-aaaa-bbbb-cccc-000000000001").build(),
                severity, Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(), message, reason,
                metadata, "kustomize-controller", "kustomize-controller-7f9c");
    }

    int post(FluxEvent event) {
        try {
            return post(JSON.writeValueAsString(event));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    int post(String body) {
        try {
            // a large body waits for "100 Continue": a refusal (413) then comes before the body is sent, instead of racing
            // the server's close while the client still writes
            HttpRequest request = HttpRequest.newBuilder(URI.create(eventsAddress()))
                    .header("Content-Type", "application/json").expectContinue(body.length() > 1 << 20)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String eventsAddress() {
        return "http://127.0.0.1:" + ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class) + "/";
    }

    /** Kubernetes Events recorded on an object of this namespace. */
    List<Event> eventsOn(String name) {
        return client.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName())).toList();
    }

    static void await(BooleanSupplier condition, String what) {
        Instant deadline = Instant.now().plus(TIMEOUT);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what);
            }
            RecordingServer.sleep(50);
        }
    }
}
