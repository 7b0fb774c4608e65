package io.currents.notification.controller;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.currents.api.notification.v1beta3.Provider;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.currents.notification.controller.EventsReachProvidersTest.ref;
import static io.currents.notification.controller.NotificationScenario.source;
import static org.assertj.core.api.Assertions.assertThat;

/** An HTTPS Provider with a private CA is trusted through {@code spec.certSecretRef} ({@code ca.crt}), and only then. */
@QuarkusTest
@QuarkusTestResource(value = NotificationControllerTestResource.class, restrictToAnnotatedClass = false)
class ProviderCertificateTest {

    @Inject
    NotificationObjects objects;

    @Test
    void theCaFromCertSecretRefIsTrustedAndWithoutItDeliveryFails() throws Exception {
        Path dir = Files.createTempDirectory("provider-tls");
        Path keystore = dir.resolve("server.p12");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", "changeit");
        Path pem = dir.resolve("ca.crt");
        keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", keystore.toString(), "-storepass", "changeit",
                "-file", pem.toString());

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keystore.toFile())) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        List<String> received = new CopyOnWriteArrayList<>();
        server.createContext("/", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        try {
            NotificationScenario s = new NotificationScenario("tls", objects);
            String address = "https://127.0.0.1:" + server.getAddress().getPort() + "/hook";
            s.secret("provider-ca", Map.of("ca.crt", Files.readString(pem)));
            s.provider("trusted", Provider.TYPE_GENERIC, address, spec -> spec.setCertSecretRef(ref("provider-ca")));
            s.provider("untrusted", Provider.TYPE_GENERIC, address, spec -> { });
            s.alert("trusted", "trusted", List.of(source("GitRepository", "*")), spec -> { });
            s.alert("untrusted", "untrusted", List.of(source("GitRepository", "*")), spec -> { });

            s.post(s.event("GitRepository", "fleet", "info", "NewArtifact", "stored artifact over TLS", Map.of()));

            NotificationScenario.await(() -> received.size() == 1, "one delivery over TLS");
            assertThat(received.get(0)).contains("stored artifact over TLS");
            NotificationScenario.await(() -> s.eventsOn("untrusted").stream().anyMatch(e ->
                    "NotificationDispatchFailed".equals(e.getReason())), "a TLS failure on the untrusted alert");
            assertThat(received).hasSize(1);
        } finally {
            server.stop(0);
        }
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("keytool " + String.join(" ", args) + ": " + output).isZero();
    }
}
