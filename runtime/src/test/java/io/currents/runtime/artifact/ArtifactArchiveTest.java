package io.currents.runtime.artifact;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArtifactArchiveTest {

    @TempDir
    Path dir;

    @Test
    void extractsFilesDirectoriesAndInsideSymlinks() throws IOException {
        byte[] tgz = tarGz(tar -> {
            dir(tar, "app/");
            file(tar, "app/deploy.yaml", "kind: Deployment\n", 0644);
            file(tar, "run.sh", "#!/bin/sh\n", 0755);
            link(tar, "app/link.yaml", "deploy.yaml");
        });
        long bytes = ArtifactArchive.extract(new ByteArrayInputStream(tgz), dir.resolve("out"), 1 << 20);

        assertThat(bytes).isEqualTo("kind: Deployment\n".length() + "#!/bin/sh\n".length());
        assertThat(dir.resolve("out/app/deploy.yaml")).hasContent("kind: Deployment");
        assertThat(Files.readString(dir.resolve("out/app/link.yaml"))).isEqualTo("kind: Deployment\n");
        assertThat(Files.isExecutable(dir.resolve("out/run.sh"))).isTrue();
    }

    @Test
    void refusesEntriesThatClimbOutOfTheTarget() {
        byte[] tgz = tarGz(tar -> file(tar, "../../etc/evil", "x", 0644));
        assertThatThrownBy(() -> ArtifactArchive.extract(new ByteArrayInputStream(tgz), dir.resolve("out"), 1 << 20))
                .isInstanceOf(ArtifactArchive.UnsafeArchiveException.class)
                .hasMessageContaining("../../etc/evil");
        assertThat(dir.getParent().resolve("etc/evil")).doesNotExist();
    }

    @Test
    void refusesSymlinksPointingOutside() {
        byte[] tgz = tarGz(tar -> link(tar, "passwd", "/etc/passwd"));
        assertThatThrownBy(() -> ArtifactArchive.extract(new ByteArrayInputStream(tgz), dir.resolve("out"), 1 << 20))
                .hasMessageContaining("symlink").hasMessageContaining("/etc/passwd");

        byte[] relative = tarGz(tar -> link(tar, "up", "../../.."));
        assertThatThrownBy(() -> ArtifactArchive.extract(new ByteArrayInputStream(relative), dir.resolve("out2"), 1 << 20))
                .hasMessageContaining("outside");
    }

    @Test
    void refusesASymlinkWithAnEmptyTargetWithAClearMessage() {
        // found by ArtifactArchivePropertiesTest: the system call failed with a bare NoSuchFileException
        byte[] tgz = tarGz(tar -> link(tar, "a", ""));
        assertThatThrownBy(() -> ArtifactArchive.extract(new ByteArrayInputStream(tgz), dir.resolve("out"), 1 << 20))
                .isInstanceOf(ArtifactArchive.UnsafeArchiveException.class)
                .hasMessage("archive entry 'a' is a symlink with an empty target");
    }

    @Test
    void writesThroughASymlinkedDirectoryOnlyWhenItStaysInside() throws IOException {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        byte[] tgz = tarGz(tar -> {
            link(tar, "sub", "inner");
            dir(tar, "inner/");
            file(tar, "sub/ok.yaml", "a: b\n", 0644);
        });
        ArtifactArchive.extract(new ByteArrayInputStream(tgz), dir.resolve("out"), 1 << 20);
        assertThat(dir.resolve("out/inner/ok.yaml")).exists();
        assertThat(outside).isEmptyDirectory();
    }

    @Test
    void neverWritesThroughALinkThatLeavesTheDirectory() throws IOException {
        // l -> . and f -> l/../outside each read as inside; the file f then followed the link f out of "out"
        byte[] throughFile = tarGz(tar -> {
            link(tar, "l", ".");
            link(tar, "f", "l/../outside");
            file(tar, "f", "pwned\n", 0644);
        });
        ArtifactArchive.extract(new ByteArrayInputStream(throughFile), dir.resolve("out"), 1 << 20);
        assertThat(dir.resolve("outside")).doesNotExist();
        assertThat(dir.resolve("out/f")).isRegularFile().hasContent("pwned");

        // the same trick on a directory: d -> l/../victim, then a file under d/
        Path victim = Files.createDirectories(dir.resolve("victim"));
        byte[] throughDirectory = tarGz(tar -> {
            link(tar, "l", ".");
            link(tar, "d", "l/../victim");
            file(tar, "d/evil", "pwned\n", 0644);
        });
        assertThatThrownBy(() -> ArtifactArchive.extract(new ByteArrayInputStream(throughDirectory), dir.resolve("out2"), 1 << 20))
                .isInstanceOf(ArtifactArchive.UnsafeArchiveException.class).hasMessageContaining("d/evil");
        assertThat(victim).isEmptyDirectory();

        // and a link left pointing out through another link is refused once everything is unpacked
        byte[] dangling = tarGz(tar -> {
            link(tar, "l", ".");
            link(tar, "f", "l/../outside");
        });
        assertThatThrownBy(() -> ArtifactArchive.extract(new ByteArrayInputStream(dangling), dir.resolve("out3"), 1 << 20))
                .hasMessage("archive entry 'f' is a symlink to 'l/../outside' outside the extraction directory");
    }

    @Test
    void stopsAtTheSizeLimit() {
        byte[] tgz = tarGz(tar -> file(tar, "big.bin", "x".repeat(10_000), 0644));
        assertThatThrownBy(() -> ArtifactArchive.extract(new ByteArrayInputStream(tgz), dir.resolve("out"), 1000))
                .hasMessageContaining("larger than the limit of 1000 bytes").hasMessageContaining("big.bin");
    }

    @Test
    void reportsAGarbageStreamAsAnError() {
        assertThatThrownBy(() -> ArtifactArchive.extract(new ByteArrayInputStream("not a tarball".getBytes()), dir.resolve("out"), 1000))
                .isInstanceOf(IOException.class);
    }

    interface TarBody {
        void write(TarArchiveOutputStream tar) throws IOException;
    }

    private static byte[] tarGz(TarBody body) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                body.write(tar);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void dir(TarArchiveOutputStream tar, String name) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream tar, String name, String content, int mode) throws IOException {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(data.length);
        e.setMode(mode);
        tar.putArchiveEntry(e);
        tar.write(data);
        tar.closeArchiveEntry();
    }

    private static void link(TarArchiveOutputStream tar, String name, String target) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
        e.setLinkName(target);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }
}
