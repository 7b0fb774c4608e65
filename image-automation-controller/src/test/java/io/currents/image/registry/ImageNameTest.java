package io.currents.image.registry;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** spec.image is read as Flux reads it: Docker Hub defaults, no tag, no scheme. */
class ImageNameTest {

    @Test
    void canonicalNames() {
        assertThat(ImageName.parse("alpine").canonical()).isEqualTo("index.docker.io/library/alpine");
        assertThat(ImageName.parse("stefanprodan/podinfo").canonical()).isEqualTo("index.docker.io/stefanprodan/podinfo");
        assertThat(ImageName.parse("docker.io/fluxcd/flux").canonical()).isEqualTo("index.docker.io/fluxcd/flux");
        assertThat(ImageName.parse("ghcr.io/stefanprodan/podinfo").canonical()).isEqualTo("ghcr.io/stefanprodan/podinfo");
        ImageName local = ImageName.parse("127.0.0.1:5000/team/app");
        assertThat(local.registry()).isEqualTo("127.0.0.1:5000");
        assertThat(local.repository()).isEqualTo("team/app");
        assertThat(local.isLoopback()).isTrue();
        assertThat(ImageName.parse("ghcr.io/x").isLoopback()).isFalse();
    }

    @Test
    void tagsDigestsAndSchemesAreRefused() {
        assertThatThrownBy(() -> ImageName.parse("ghcr.io/x/y:1.0")).hasMessage(".spec.image value should not contain a tag; remove ':1.0'");
        assertThatThrownBy(() -> ImageName.parse("https://ghcr.io/x")).hasMessageContaining("remove 'https://'");
        assertThatThrownBy(() -> ImageName.parse("ghcr.io/x@sha256:abc")).hasMessageContaining("should not contain a digest");
        assertThatThrownBy(() -> ImageName.parse("ghcr.io/UPPER")).hasMessageContaining("invalid image name");
    }
}
