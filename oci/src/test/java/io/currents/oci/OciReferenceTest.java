package io.currents.oci;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OciReferenceTest {

    @Test
    void aRepositoryUrlSplitsIntoRegistryAndPath() throws Exception {
        OciReference ref = OciReference.parse("oci://127.0.0.1:5000/team/manifests/app");
        assertThat(ref.registry()).isEqualTo("127.0.0.1:5000");
        assertThat(ref.repository()).isEqualTo("team/manifests/app");
        assertThat(ref.reference()).isEqualTo("latest");
    }

    @Test
    void tagsAndDigestsAreReadWhenAllowed() throws Exception {
        String digest = "sha256:" + "a".repeat(64);
        assertThat(OciReference.parseWithReference("oci://ghcr.io/x/y:v1.2.0").tag()).isEqualTo("v1.2.0");
        assertThat(OciReference.parseWithReference("oci://ghcr.io/x/y@" + digest).reference()).isEqualTo(digest);
        assertThatThrownBy(() -> OciReference.parse("oci://ghcr.io/x/y:v1")).hasMessageContaining("must not carry a tag");
    }

    @Test
    void dockerHubNamesAreExpandedAsDockerDoes() throws Exception {
        OciReference ref = OciReference.parse("oci://docker.io/nginx");
        assertThat(ref.registry()).isEqualTo("registry-1.docker.io");
        assertThat(ref.repository()).isEqualTo("library/nginx");
    }

    @Test
    void malformedUrlsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> OciReference.parse("https://ghcr.io/x")).hasMessageContaining("must start with oci://");
        assertThatThrownBy(() -> OciReference.parse("oci://ghcr.io")).hasMessageContaining("oci://<registry>/<repository>");
        assertThatThrownBy(() -> OciReference.parse("oci://ghcr.io/../etc")).hasMessageContaining("not a valid repository path");
        assertThatThrownBy(() -> OciReference.parse("oci://ghcr.io/UPPER")).hasMessageContaining("not a valid repository path");
    }
}
