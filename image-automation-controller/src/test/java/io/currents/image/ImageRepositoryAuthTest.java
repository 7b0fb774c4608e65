package io.currents.image;

import io.currents.api.image.v1.ImageRepository;
import io.currents.testkit.registry.OciRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.currents.image.ImageScenario.imageRepository;
import static io.currents.image.ImageScenario.ready;
import static io.currents.image.ImageScenario.readyMessage;
import static io.currents.image.ImageScenario.readyReason;
import static org.assertj.core.api.Assertions.assertThat;

/** A registry that needs credentials: none, wrong, missing Secret are Ready=False with a clear message; the right ones scan. */
@QuarkusTest
@QuarkusTestResource(value = ImageControllerTestResource.class, restrictToAnnotatedClass = false)
class ImageRepositoryAuthTest {

    static OciRegistry registry;

    @BeforeAll
    static void startRegistry() {
        registry = OciRegistry.start("robot", "s3cret");
        registry.push("private/app", "1.0.0", "1.1.0");
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    @Test
    void withoutCredentialsTheScanFailsSayingAuthenticationIsRequired() {
        var s = new ImageScenario("imgauth-none");
        s.apply(imageRepository("app", registry.image("private/app"), null));
        ImageRepository repo = s.awaitRepository("app", r -> r.getStatus() != null && ready(r.getStatus().getConditions(), "False"));
        assertThat(readyReason(repo.getStatus().getConditions())).isEqualTo("ReadOperationFailed");
        assertThat(readyMessage(repo.getStatus().getConditions())).contains("requires authentication")
                .contains("kubernetes.io/dockerconfigjson");
    }

    @Test
    void wrongCredentialsAreRejectedWithoutShowingThem() {
        var s = new ImageScenario("imgauth-wrong");
        s.dockerConfigSecret("creds", registry.host(), "robot", "not-the-password");
        s.apply(imageRepository("app", registry.image("private/app"), "secretRef:\n  name: creds"));
        ImageRepository repo = s.awaitRepository("app", r -> r.getStatus() != null && ready(r.getStatus().getConditions(), "False"));
        assertThat(readyMessage(repo.getStatus().getConditions())).contains("HTTP 401").contains("rejected the credentials")
                .doesNotContain("not-the-password");
    }

    @Test
    void aMissingSecretIsAnAuthenticationFailure() {
        var s = new ImageScenario("imgauth-missing");
        s.apply(imageRepository("app", registry.image("private/app"), "secretRef:\n  name: nowhere"));
        ImageRepository repo = s.awaitRepository("app", r -> r.getStatus() != null && ready(r.getStatus().getConditions(), "False"));
        assertThat(readyReason(repo.getStatus().getConditions())).isEqualTo("AuthenticationFailed");
        assertThat(readyMessage(repo.getStatus().getConditions())).contains("secret '" + s.namespace + "/nowhere' not found");
    }

    @Test
    void aRegistryWithAPrivateCaIsScannedWithTheCertSecretRefAndRefusedWithout() {
        try (OciRegistry tls = OciRegistry.startTls()) {
            tls.push("tls/app", "1.0.0");
            var s = new ImageScenario("imgtls");
            s.apply(imageRepository("untrusted", tls.image("tls/app"), null));
            ImageRepository refused = s.awaitRepository("untrusted", r -> r.getStatus() != null && ready(r.getStatus().getConditions(), "False"));
            assertThat(readyMessage(refused.getStatus().getConditions())).contains("TLS error").contains("spec.certSecretRef");

            s.secret("ca", java.util.Map.of("ca.crt", tls.caPem()));
            s.apply(imageRepository("trusted", tls.image("tls/app"), "certSecretRef:\n  name: ca"));
            ImageRepository repo = s.awaitRepository("trusted", r -> r.getStatus() != null && ready(r.getStatus().getConditions(), "True"));
            assertThat(repo.getStatus().getLastScanResult().getTagCount()).isEqualTo(1);
        }
    }

    @Test
    void aProxySecretRoutesTheScanThroughTheProxy() {
        try (var proxy = io.currents.testkit.git.HttpProxyServer.start("proxy-user", "proxy-pass")) {
            var s = new ImageScenario("imgproxy");
            s.dockerConfigSecret("creds", registry.host(), "robot", "s3cret");
            s.secret("proxy", java.util.Map.of("address", proxy.address(), "username", "proxy-user", "password", "proxy-pass"));
            s.apply(imageRepository("app", registry.image("private/app"), "secretRef:\n  name: creds\nproxySecretRef:\n  name: proxy"));
            ImageRepository repo = s.awaitRepository("app", r -> r.getStatus() != null && ready(r.getStatus().getConditions(), "True"));
            assertThat(repo.getStatus().getLastScanResult().getTagCount()).isEqualTo(2);
            assertThat(proxy.requests()).anyMatch(r -> r.contains("/v2/private/app/tags/list"));
        }
    }

    @Test
    void theRightCredentialsScanAndAFixedSecretRecovers() {
        var s = new ImageScenario("imgauth-ok");
        s.dockerConfigSecret("creds", registry.host(), "robot", "wrong");
        s.apply(imageRepository("app", registry.image("private/app"), "secretRef:\n  name: creds"));
        s.awaitRepository("app", r -> r.getStatus() != null && ready(r.getStatus().getConditions(), "False"));

        s.dockerConfigSecret("creds", registry.host(), "robot", "s3cret");
        s.requestReconcile(ImageRepository.class, "app");
        ImageRepository repo = s.awaitRepository("app", r -> ready(r.getStatus().getConditions(), "True"));
        assertThat(repo.getStatus().getLastScanResult().getTagCount()).isEqualTo(2);
        assertThat(s.events("app")).anyMatch(e -> "Normal".equals(e.getType()) && e.getMessage().equals("successful scan: found 2 tags"));
    }
}
