package io.currents.testkit.image;

import io.currents.testkit.registry.OciRegistry;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Images pushed to a real registry, pulled back and unpacked as a container runtime unpacks them. */
class PulledImageTest {

    static OciRegistry registry;

    @BeforeAll
    static void start() {
        registry = OciRegistry.start();
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void layersApplyInOrderWithTheirWhiteoutsAndTheConfigIsRead(@TempDir Path tmp) throws IOException {
        Path lower = Files.createDirectories(tmp.resolve("lower"));
        Files.writeString(lower.resolve("gone.txt"), "removed by the next layer");
        Files.createDirectories(lower.resolve("etc/conf.d"));
        Files.writeString(lower.resolve("etc/conf.d/old"), "replaced by an opaque directory");
        Files.writeString(lower.resolve("kept.txt"), "v1");
        Files.createSymbolicLink(lower.resolve("link"), Path.of("kept.txt"));
        Path upper = Files.createDirectories(tmp.resolve("upper"));
        Files.writeString(upper.resolve(".wh.gone.txt"), "");
        Files.createDirectories(upper.resolve("etc/conf.d"));
        Files.writeString(upper.resolve("etc/conf.d/.wh..wh..opq"), "");
        Files.writeString(upper.resolve("etc/conf.d/new"), "only this");
        Files.writeString(upper.resolve("kept.txt"), "v2");
        ImageLayer first = ImageLayer.of(lower, tmp.resolve("1.tar.gz"));
        ImageLayer second = ImageLayer.of(upper, tmp.resolve("2.tar.gz"));
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"User\":\"65534:65534\",\"WorkingDir\":\"/etc\","
                + "\"Entrypoint\":[\"/bin/app\"],\"Cmd\":[\"--serve\"],\"Env\":[\"A=1\",\"B=x=y\"],\"Labels\":{\"l\":\"v\"}},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + first.diffId() + "\",\"" + second.diffId() + "\"]}}")
                .getBytes(StandardCharsets.UTF_8);
        String digest = registry.pushImage("team/app", "v1", config, List.of(first, second));

        PulledImage image = PulledImage.pull(registry, "team/app", "v1", tmp.resolve("blobs"));
        Path root = image.unpack(tmp.resolve("root"));

        assertThat(image.digest()).isEqualTo(digest);
        assertThat(image.command()).containsExactly("/bin/app", "--serve");
        assertThat(image.env()).containsEntry("A", "1").containsEntry("B", "x=y");
        assertThat(image.user()).isEqualTo("65534:65534");
        assertThat(image.workingDir()).isEqualTo("/etc");
        assertThat(image.labels()).containsEntry("l", "v");
        assertThat(image.layerDigests()).containsExactly(first.digest(), second.digest());
        assertThat(image.compressedSize()).isEqualTo(first.size() + second.size() + config.length);
        assertThat(root.resolve("gone.txt")).doesNotExist();
        assertThat(root.resolve(".wh.gone.txt")).doesNotExist();
        assertThat(root.resolve("etc/conf.d")).isDirectoryContaining(p -> p.getFileName().toString().equals("new"))
                .isDirectoryNotContaining(p -> p.getFileName().toString().equals("old"));
        assertThat(root.resolve("kept.txt")).hasContent("v2");
        assertThat(Files.readSymbolicLink(root.resolve("link"))).isEqualTo(Path.of("kept.txt"));
    }

    @Test
    void theSameTreeGivesTheSameLayerDigest(@TempDir Path tmp) throws IOException {
        Path tree = Files.createDirectories(tmp.resolve("tree/a"));
        Files.writeString(tree.resolve("file"), "content");
        ImageLayer once = ImageLayer.of(tmp.resolve("tree"), tmp.resolve("1.tar.gz"));
        Files.setLastModifiedTime(tree.resolve("file"), java.nio.file.attribute.FileTime.fromMillis(0));
        ImageLayer again = ImageLayer.of(tmp.resolve("tree"), tmp.resolve("2.tar.gz"));
        assertThat(again.digest()).isEqualTo(once.digest());
        assertThat(again.diffId()).isEqualTo(once.diffId());
    }

    @Test
    void anEntryThatWouldLandOutsideTheRootIsRefused(@TempDir Path tmp) throws IOException {
        Path layer = tmp.resolve("evil.tar.gz");
        try (OutputStream file = Files.newOutputStream(layer);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(file))) {
            byte[] content = "escaped".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry entry = new TarArchiveEntry("../escaped.txt", true);
            entry.setSize(content.length);
            tar.putArchiveEntry(entry);
            tar.write(content);
            tar.closeArchiveEntry();
        }
        ImageLayer evil = new ImageLayer(layer, "sha256:" + sha256(Files.readAllBytes(layer)), Files.size(layer), "sha256:" + "0".repeat(64));
        registry.pushImage("team/evil", "v1", "{\"config\":{}}".getBytes(StandardCharsets.UTF_8), List.of(evil));
        PulledImage image = PulledImage.pull(registry, "team/evil", "v1", tmp.resolve("blobs"));

        assertThatThrownBy(() -> image.unpack(tmp.resolve("root"))).hasMessageContaining("cannot unpack")
                .rootCause().hasMessageContaining("escapes the root");
        assertThat(tmp.resolve("escaped.txt")).doesNotExist();
    }

    private static String sha256(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(ImageLayer.sha256().digest(bytes));
    }
}
