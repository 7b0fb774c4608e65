package io.currents.notification.controller;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.currents.runtime.events.FluxEvent;
import io.currents.runtime.net.InternalDestinations;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code no-internal-destinations} flag as the dispatcher applies it: a Provider whose address (or proxy) is a
 * loopback or link-local host, or the API server, is refused before any connection is made; without the flag the
 * same address is delivered to, as Flux does.
 */
class InternalDestinationsDeliveryTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static ProviderSettings generic(String address, ProviderSettings.ProxyTarget proxy) {
        return new ProviderSettings("generic", "team", "ns", "uid", address, null, null, null, null, Map.of(), Map.of(), proxy, null,
                Duration.ofSeconds(5), null);
    }

    @Test
    void aProviderAtALoopbackAddressIsRefusedWithTheFlagAndDeliveredToWithout() throws Exception {
        try (RecordingServer webhook = new RecordingServer()) {
            Delivery guarded = new Delivery(generic(webhook.url("/hook"), null), 0, Duration.ofMillis(10), JSON,
                    InternalDestinations.forApiServer("https://10.96.0.1:443"));
            assertThatThrownBy(() -> guarded.send(guarded.json("POST", URI.create(webhook.url("/hook")), Map.of("a", 1)).build()))
                    .isInstanceOf(DispatchException.class)
                    .hasMessageContaining("refusing to send to POST http://127.0.0.1:" + webhook.port())
                    .hasMessageContaining("loopback address (no-internal-destinations=true)");
            assertThat(webhook.requests()).as("nothing reached the loopback address").isEmpty();

            Delivery open = new Delivery(generic(webhook.url("/hook"), null), 0, Duration.ofMillis(10), JSON);
            assertThat(open.send(open.json("POST", URI.create(webhook.url("/hook")), Map.of("a", 1)).build()).status()).isEqualTo(200);
            assertThat(webhook.requests()).hasSize(1);
        }
    }

    @Test
    void theProviderAddressTheApiServerAndALinkLocalProxyAreRefused() throws Exception {
        Delivery toApiServer = new Delivery(generic("https://10.96.0.1/api", null), 0, Duration.ofMillis(10), JSON,
                InternalDestinations.forApiServer("https://10.96.0.1:443"));
        assertThatThrownBy(() -> toApiServer.checkDestination("the provider's address", Dispatcher.addressHost("https://10.96.0.1/api")))
                .hasMessageContaining("Kubernetes API server");
        ProviderSettings.ProxyTarget metadata = new ProviderSettings.ProxyTarget(URI.create("http://169.254.169.254:80"), null, null);
        Delivery viaMetadata = new Delivery(generic("https://93.184.216.34/hook", metadata), 0, Duration.ofMillis(10), JSON,
                InternalDestinations.forApiServer(null));
        assertThatThrownBy(() -> viaMetadata.send(viaMetadata.json("POST", URI.create("https://93.184.216.34/hook"), Map.of()).build()))
                .hasMessageContaining("the proxy").hasMessageContaining("link-local address");
        assertThat(Dispatcher.addressHost("nats://nats.example:4222")).isEqualTo("nats.example");
        assertThat(Dispatcher.addressHost("my-gcp-project")).as("a Pub/Sub project is not a host").isNull();
    }

    @Test
    void anEventHubsConnectionStringOrNamespaceAtAnInternalHostIsRefused() throws Exception {
        InternalDestinations guard = InternalDestinations.forApiServer("https://10.96.0.1:443");
        ProviderSettings sas = new ProviderSettings("azureeventhub", "team", "ns", "uid",
                "Endpoint=sb://169.254.169.254/;SharedAccessKeyName=send;SharedAccessKey=c2VjcmV0;EntityPath=hub",
                null, null, null, null, Map.of(), Map.of(), null, null, Duration.ofSeconds(5), null);
        Delivery delivery = new Delivery(sas, 0, Duration.ofMillis(10), JSON, guard);
        assertThat(Dispatcher.addressHost(sas.address())).as("a connection string is not a URL").isNull();
        assertThatThrownBy(() -> new AzureEventHubPublisher(sas, delivery, null).send(event()))
                .isInstanceOf(DispatchException.class)
                .hasMessageContaining("refusing to send to the Event Hubs namespace")
                .hasMessageContaining("link-local address");

        ProviderSettings namespace = new ProviderSettings("azureeventhub", "team", "ns", "uid", "hub", "localhost",
                null, null, "jwt", Map.of(), Map.of(), null, null, Duration.ofSeconds(5), null);
        assertThat(AzureEventHubPublisher.endpointHost(namespace)).isEqualTo("localhost.servicebus.windows.net");
        ProviderSettings toApiServer = new ProviderSettings("azureeventhub", "team", "ns", "uid",
                "endpoint=sb://10.96.0.1:5671/;SharedAccessKeyName=send;SharedAccessKey=c2VjcmV0;EntityPath=hub",
                null, null, null, null, Map.of(), Map.of(), null, null, Duration.ofSeconds(5), null);
        assertThatThrownBy(() -> new AzureEventHubPublisher(toApiServer, new Delivery(toApiServer, 0, Duration.ofMillis(10), JSON, guard), null)
                .send(event())).hasMessageContaining("Kubernetes API server");
    }

    private static FluxEvent event() {
        return new FluxEvent(new ObjectReferenceBuilder().withKind("Kustomization").withName("apps").withNamespace("ns").build(),
                "info", "2024-01-01T00:00:00Z", "ok", "ReconciliationSucceeded", Map.of(), "kustomize-controller", null);
    }
}
