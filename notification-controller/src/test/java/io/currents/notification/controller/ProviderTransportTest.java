package io.currents.notification.controller;

import io.currents.api.notification.v1beta3.Provider;
import io.currents.testkit.git.HttpProxyServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.currents.notification.controller.NotificationScenario.ref;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a notification travels: through the proxy of {@code spec.proxySecretRef} with its credentials (for plain HTTP and
 * through a CONNECT tunnel for HTTPS), and with the client certificate of {@code spec.certSecretRef} to a server that
 * demands mutual TLS.
 */
@QuarkusTest
@QuarkusTestResource(value = NotificationControllerTestResource.class, restrictToAnnotatedClass = false)
class ProviderTransportTest {

    private static final TestCertificates TLS = TestCertificates.create();

    @Inject
    NotificationObjects objects;

    @Test
    void proxySecretRefCredentialsReachTheProxyForHttpAndHttps() {
        NotificationScenario s = new NotificationScenario("proxy-auth", objects);
        try (HttpProxyServer proxy = HttpProxyServer.start("proxy-user", "proxy-pass");
             RecordingServer plain = new RecordingServer(); RecordingServer secure = RecordingServer.https(TLS, false)) {
            s.secret("proxy", Map.of("address", proxy.address(), "username", "proxy-user", "password", "proxy-pass"));
            s.secret("ca", Map.of("ca.crt", TLS.caPem()));
            s.route("plain", Provider.TYPE_GENERIC, plain.url("/plain"), spec -> {
                spec.setProxy("http://127.0.0.1:9"); // overridden by proxySecretRef, as in Flux
                spec.setProxySecretRef(ref("proxy"));
            });
            s.route("secure", Provider.TYPE_GENERIC, secure.url("/secure"), spec -> {
                spec.setProxySecretRef(ref("proxy"));
                spec.setCertSecretRef(ref("ca"));
            });

            s.post(s.event("Kustomization", "apps", "info", "ReconciliationSucceeded", "through the proxy", Map.of()));

            assertThat(plain.await("POST", "/plain").json().path("message").asText()).isEqualTo("through the proxy");
            assertThat(secure.await("POST", "/secure").json().path("message").asText()).isEqualTo("through the proxy");
            assertThat(proxy.requests()).anyMatch(line -> line.startsWith("POST " + plain.url("/plain")))
                    .anyMatch(line -> line.startsWith("CONNECT 127.0.0.1:" + secure.port()));
        }
    }

    @Test
    void aClientCertificateFromCertSecretRefIsPresentedToAnMtlsServer() {
        NotificationScenario s = new NotificationScenario("mtls", objects);
        try (RecordingServer server = RecordingServer.https(TLS, true)) {
            s.secret("mtls", Map.of("ca.crt", TLS.caPem(), "tls.crt", TLS.clientCertificatePem(), "tls.key", TLS.clientKeyPem()));
            s.secret("ca-only", Map.of("ca.crt", TLS.caPem()));
            s.secret("cert-without-key", Map.of("ca.crt", TLS.caPem(), "tls.crt", TLS.clientCertificatePem()));
            s.route("with-cert", Provider.TYPE_GENERIC, server.url("/hook"), spec -> spec.setCertSecretRef(ref("mtls")));
            s.route("ca-only", Provider.TYPE_GENERIC, server.url("/hook"), spec -> spec.setCertSecretRef(ref("ca-only")));
            s.route("half", Provider.TYPE_GENERIC, server.url("/hook"), spec -> spec.setCertSecretRef(ref("cert-without-key")));

            s.post(s.event("Kustomization", "apps", "info", "ReconciliationSucceeded", "mutual TLS", Map.of()));

            RecordingServer.Request request = server.await("POST", "/hook");
            assertThat(request.clientCertificate()).isEqualTo("CN=notification-controller");
            // the server refuses the handshake without a client certificate; the JVM reports it either as a TLS alert or,
            // when the server closes first, as a connection that answered nothing: both name the refused delivery
            assertThat(s.awaitWarning("ca-only", "NotificationDispatchFailed").get(0).getMessage())
                    .contains("failed to send notification", server.url("/hook").replaceFirst("/hook$", ""))
                    .containsAnyOf("TLS", "certificate_required", "handshake", "header parser received no bytes", "Connection reset");
            assertThat(s.awaitWarning("half", "NotificationDispatchFailed").get(0).getMessage())
                    .contains("'tls.crt' without 'tls.key'");
            RecordingServer.sleep(500);
            assertThat(server.requests()).hasSize(1);
        }
    }
}
