package io.currents.helm.controller;

import io.currents.api.helm.v2.HelmRelease;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Helm keeps releases in Secrets of the release namespace, which a tenant may write: a gzip bomb there (a few KiB that
 * expand past what any release needs) is refused with the Secret named, and the controller goes on working.
 */
@QuarkusTest
@QuarkusTestResource(value = HelmControllerTestResource.class, restrictToAnnotatedClass = false)
class HelmReleaseStorageBombTest {

    @Test
    void aReleaseSecretThatExpandsWithoutEndIsRefused() throws Exception {
        var s = new HelmScenario("hr-storage-bomb");
        // valid release JSON padded with 40 MiB of spaces: about 40 KiB once gzipped
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write("{\"name\":\"app\",\"namespace\":\"".concat(s.namespace).concat("\",\"version\":1,").getBytes(StandardCharsets.UTF_8));
            byte[] spaces = new byte[1 << 20];
            java.util.Arrays.fill(spaces, (byte) ' ');
            for (int i = 0; i < 40; i++) {
                out.write(spaces);
            }
            out.write("\"info\":{\"status\":\"deployed\"},\"chart\":{\"metadata\":{\"name\":\"demo\",\"version\":\"1.0.0\"}},\"config\":{},\"manifest\":\"\"}"
                    .getBytes(StandardCharsets.UTF_8));
        }
        String helmEncoded = Base64.getEncoder().encodeToString(gz.toByteArray());
        String secret = "sh.helm.release.v1.app.v1";
        s.client.secrets().inNamespace(s.namespace).resource(new SecretBuilder().withNewMetadata().withName(secret)
                .addToLabels("owner", "helm").addToLabels("name", "app").addToLabels("status", "deployed").addToLabels("version", "1")
                .endMetadata().withType("helm.sh/release.v1")
                .addToData("release", Base64.getEncoder().encodeToString(helmEncoded.getBytes(StandardCharsets.UTF_8))).build()).create();

        s.apply(HelmScenario.helmRelease("app", "demo", null));
        s.publishForRelease("app", HelmScenario.configMapChart("demo", "1.0.0"));
        HelmRelease refused = s.awaitCondition("app", "Ready", "False", "GetLastReleaseFailed");
        assertThat(HelmScenario.message(refused, "Ready")).isEqualTo("failed to get last release revision: release Secret '"
                + s.namespace + "/" + secret + "' expands to more than " + StoredRelease.MAX_RELEASE_BYTES + " bytes");

        // the controller is still there for everyone else
        s.apply(HelmScenario.helmRelease("other", "demo", null));
        s.publishForRelease("other", HelmScenario.configMapChart("demo", "1.0.0"));
        s.awaitReady("other", "InstallSucceeded");
    }
}
