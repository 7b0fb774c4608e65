package io.currents.notification.controller;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.currents.runtime.net.InternalDestinations;
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
}
