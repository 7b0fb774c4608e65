package io.currents.oci;

import io.currents.testkit.artifact.Tarball;
import io.currents.testkit.registry.OciRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A Flux artifact pushed with the client reads back with Flux's media types and annotations, verified. */
class FluxArtifactRoundTripTest {

    @Test
    void aPushedArtifactPullsBackWithItsAnnotationsAndVerifiedContent(@TempDir Path dir) throws Exception {
        try (OciRegistry registry = OciRegistry.start()) {
            byte[] content = Tarball.of(Map.of("deploy.yaml", "kind: ConfigMap\n"));
            Path tarGz = Files.write(dir.resolve("a.tar.gz"), content);
            OciClient client = OciClient.builder().plainHttp(true).build();
            OciReference ref = OciReference.parse("oci://" + registry.host() + "/manifests/app").withTag("v1.0.0");
            String digest = FluxArtifacts.push(client, ref, tarGz, "https://github.com/x/y", "main@sha1:abc",
                    Map.of("team", "blue"), Instant.parse("2026-12-04T10:00:00Z"));

            OciManifest manifest = client.manifest(ref);
            assertThat(manifest.digest()).isEqualTo(digest);
            assertThat(manifest.config().mediaType()).isEqualTo(FluxArtifacts.CONFIG_MEDIA_TYPE);
            assertThat(manifest.layers()).singleElement().satisfies(l -> assertThat(l.mediaType()).isEqualTo(FluxArtifacts.CONTENT_MEDIA_TYPE));
            assertThat(manifest.annotations()).containsEntry(FluxArtifacts.SOURCE_ANNOTATION, "https://github.com/x/y")
                    .containsEntry(FluxArtifacts.REVISION_ANNOTATION, "main@sha1:abc")
                    .containsEntry(FluxArtifacts.CREATED_ANNOTATION, "2026-12-04T10:00:00Z").containsEntry("team", "blue");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            client.fetchBlob(ref, manifest.layers().get(0), out, 1 << 20);
            assertThat(out.toByteArray()).isEqualTo(content);

            assertThat(FluxArtifacts.tag(client, ref, "stable")).isEqualTo(digest);
            assertThat(client.tags(ref)).containsExactlyInAnyOrder("v1.0.0", "stable");
            assertThat(client.resolve(ref.withTag("stable")).digest()).isEqualTo(digest);
        }
    }

    @Test
    void aBlobOverTheLimitOrWithAWrongDigestIsRefused(@TempDir Path dir) throws Exception {
        try (OciRegistry registry = OciRegistry.start()) {
            Path tarGz = Files.write(dir.resolve("a.tar.gz"), Tarball.of(Map.of("a", "x".repeat(1000))));
            OciClient client = OciClient.builder().plainHttp(true).build();
            OciReference ref = OciReference.parse("oci://" + registry.host() + "/manifests/app").withTag("v1");
            FluxArtifacts.push(client, ref, tarGz, null, null, Map.of(), Instant.now());
            Descriptor layer = client.manifest(ref).layers().get(0);
            assertThatThrownBy(() -> client.fetchBlob(ref, layer, new ByteArrayOutputStream(), 10))
                    .hasMessageContaining("over the limit of 10 bytes");
            Descriptor lying = new Descriptor(layer.mediaType(), layer.digest(), layer.size() - 1, Map.of());
            assertThatThrownBy(() -> client.fetchBlob(ref, lying, new ByteArrayOutputStream(), 1 << 20))
                    .hasMessageContaining("longer than its declared");
            String wrong = "sha256:" + "0".repeat(64);
            assertThatThrownBy(() -> client.manifest(ref.withTag("missing")))
                    .satisfies(e -> assertThat(((OciException) e).kind()).isEqualTo(OciException.Kind.NOT_FOUND));
            assertThatThrownBy(() -> client.manifest(new OciReference(ref.registry(), ref.repository(), null, wrong)))
                    .isInstanceOf(OciException.class);
        }
    }

    @Test
    void aCosignSignatureVerifiesWithItsPublicKeyOnly() throws Exception {
        try (OciRegistry registry = OciRegistry.start()) {
            String digest = registry.push("manifests/app", "v1");
            OciClient client = OciClient.builder().plainHttp(true).build();
            OciReference ref = OciReference.parse("oci://" + registry.host() + "/manifests/app");
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            KeyPair signer = generator.generateKeyPair();
            KeyPair stranger = generator.generateKeyPair();

            assertThatThrownBy(() -> CosignSignatures.verify(client, ref, digest, Map.of("cosign.pub", pem(signer))))
                    .hasMessageContaining("no cosign signature found");
            CosignSignatures.sign(client, ref, digest, signer.getPrivate());
            assertThat(CosignSignatures.verify(client, ref, digest, Map.of("a.pub", pem(stranger), "cosign.pub", pem(signer))))
                    .contains(digest);
            assertThatThrownBy(() -> CosignSignatures.verify(client, ref, digest, Map.of("cosign.pub", pem(stranger))))
                    .hasMessageContaining("no matching signatures were found");
        }
    }

    static String pem(KeyPair pair) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }
}
