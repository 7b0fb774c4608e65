package io.currents.runtime.artifact;

import io.currents.runtime.artifact.ArtifactArchive;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Reproducible tar.gz artifacts: same files, same bytes; nothing that depends on the machine. */
class TarballWriterTest {

    @TempDir
    Path work;

    @Test
    void sameContentGivesTheSameBytesWhateverTimesOrderOrPermissions() throws Exception {
        Path a = work.resolve("a");
        Path b = work.resolve("b");
        // a: written in one order, "umask 022", old timestamps
        write(a, "deploy/app.yaml", "app: 1\n", "rw-r--r--");
        write(a, "deploy/kustomization.yaml", "resources: [app.yaml]\n", "rw-r--r--");
        write(a, "run.sh", "#!/bin/sh\n", "rwxr-xr-x");
        write(a, "zeta/last.txt", "z\n", "rw-r--r--");
        Files.createSymbolicLink(a.resolve("current"), Path.of("deploy"));
        touchAll(a, Instant.parse("2001-01-01T00:00:00Z"));
        // b: written in reverse order, "umask 077", new timestamps
        write(b, "zeta/last.txt", "z\n", "rw-------");
        Files.createSymbolicLink(b.resolve("current"), Path.of("deploy"));
        write(b, "run.sh", "#!/bin/sh\n", "rwx------");
        write(b, "deploy/kustomization.yaml", "resources: [app.yaml]\n", "rw-------");
        write(b, "deploy/app.yaml", "app: 1\n", "rw-------");
        Files.setPosixFilePermissions(b.resolve("deploy"), PosixFilePermissions.fromString("rwx------"));
        touchAll(b, Instant.now());

        ByteArrayOutputStream first = new ByteArrayOutputStream();
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        TarballWriter.Tarball ta = TarballWriter.write(a, SourceIgnore.withDefaults(null), first);
        TarballWriter.Tarball tb = TarballWriter.write(b, SourceIgnore.withDefaults(null), second);

        assertThat(second.toByteArray()).isEqualTo(first.toByteArray());
        assertThat(tb).isEqualTo(ta);
        assertThat(ta.size()).isEqualTo(first.size());
        assertThat(ta.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(first.toByteArray())));
        assertThat(ta.digest()).isEqualTo("sha256:" + ta.sha256());
    }

    @Test
    void entriesAreSortedOwnedByRootWithFixedTimesAndNormalizedModes() throws IOException {
        Path dir = work.resolve("src");
        write(dir, "b.yaml", "b\n", "rw-------");
        write(dir, "a/z.yaml", "z\n", "rw-rw-rw-");
        write(dir, "a/run.sh", "#!/bin/sh\n", "rwx------");
        Files.createSymbolicLink(dir.resolve("link.yaml"), Path.of("b.yaml"));

        List<TarArchiveEntry> entries = entries(dir, SourceIgnore.none());

        assertThat(entries).extracting(TarArchiveEntry::getName)
                .containsExactly("a/", "a/run.sh", "a/z.yaml", "b.yaml", "link.yaml");
        assertThat(entries).allSatisfy(e -> {
            assertThat(e.getLongUserId()).isZero();
            assertThat(e.getLongGroupId()).isZero();
            assertThat(e.getUserName()).isEmpty();
            assertThat(e.getGroupName()).isEmpty();
            assertThat(e.getModTime().getTime()).isZero();
        });
        assertThat(entries.get(0).getMode() & 07777).isEqualTo(0755);
        assertThat(entries.get(1).getMode() & 07777).isEqualTo(0755);
        assertThat(entries.get(2).getMode() & 07777).isEqualTo(0644);
        assertThat(entries.get(4).isSymbolicLink()).isTrue();
        assertThat(entries.get(4).getLinkName()).isEqualTo("b.yaml");
    }

    @Test
    void gitDirectoryIgnoredFilesAndEscapingSymlinksAreLeftOut() throws IOException {
        Path dir = work.resolve("src");
        write(dir, ".git/config", "[core]\n", "rw-r--r--");
        write(dir, "deploy/app.yaml", "app\n", "rw-r--r--");
        write(dir, "deploy/logo.png", "png\n", "rw-r--r--");
        write(dir, "docs/readme.md", "docs\n", "rw-r--r--");
        Files.createSymbolicLink(dir.resolve("passwd"), Path.of("../../../../etc/passwd"));
        Files.createSymbolicLink(dir.resolve("absolute"), dir.resolve("deploy/app.yaml"));

        List<String> names = entries(dir, SourceIgnore.withDefaults("docs/\n")).stream().map(TarArchiveEntry::getName).toList();

        assertThat(names).containsExactly("deploy/", "deploy/app.yaml");
        // even with no rules at all, .git never goes in
        assertThat(entries(dir, SourceIgnore.none())).extracting(TarArchiveEntry::getName).noneMatch(n -> n.startsWith(".git"));
    }

    @Test
    void fileReincludedUnderAnIgnoredDirectoryIsWritten() throws IOException {
        Path dir = work.resolve("src");
        write(dir, "charts/app/values.yaml", "v\n", "rw-r--r--");
        write(dir, "charts/app/icon.png", "png\n", "rw-r--r--");

        List<String> names = entries(dir, SourceIgnore.withDefaults("/charts/\n!/charts/app/values.yaml\n"))
                .stream().map(TarArchiveEntry::getName).toList();

        assertThat(names).containsExactly("charts/app/values.yaml");
    }

    @Test
    void artifactExtractsWithTheRuntimesSafeUntar() throws IOException {
        Path dir = work.resolve("src");
        write(dir, "deploy/app.yaml", "app: 1\n", "rw-r--r--");
        write(dir, "bin/tool", "#!/bin/sh\n", "rwxr-xr-x");
        Files.createSymbolicLink(dir.resolve("current"), Path.of("deploy"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarballWriter.write(dir, SourceIgnore.withDefaults(null), out);

        Path target = work.resolve("extracted");
        ArtifactArchive.extract(new ByteArrayInputStream(out.toByteArray()), target, 1 << 20);

        assertThat(target.resolve("deploy/app.yaml")).hasContent("app: 1");
        assertThat(target.resolve("current/app.yaml")).hasContent("app: 1");
        assertThat(Files.isExecutable(target.resolve("bin/tool"))).isTrue();
    }

    @Test
    void callersStreamIsLeftOpenAndAFileTargetWorks() throws IOException {
        Path dir = work.resolve("src");
        write(dir, "a.yaml", "a\n", "rw-r--r--");
        boolean[] closed = {false};
        OutputStream out = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };

        TarballWriter.Tarball streamed = TarballWriter.write(dir, SourceIgnore.none(), out);
        TarballWriter.Tarball file = TarballWriter.write(dir, SourceIgnore.none(), work.resolve("a.tar.gz"));

        assertThat(closed[0]).isFalse();
        assertThat(file).isEqualTo(streamed);
        assertThat(Files.size(work.resolve("a.tar.gz"))).isEqualTo(file.size());
    }

    @Test
    void aTreeOfManyCompressionBlocksGivesTheSameBytesTwiceAndItsFilesBack() throws IOException {
        // about 3 MB of text: the gzip stream is made of many independently deflated blocks
        Path a = work.resolve("a");
        Path b = work.resolve("b");
        java.util.Random random = new java.util.Random(17);
        java.util.Map<String, String> files = new java.util.TreeMap<>();
        for (int i = 0; i < 60; i++) {
            StringBuilder text = new StringBuilder();
            while (text.length() < 50_000) {
                text.append("key-").append(random.nextInt(50)).append(": ").append(Long.toHexString(random.nextLong())).append('\n');
            }
            files.put("team-" + (i % 4) + "/app-" + i + ".yaml", text.toString());
        }
        files.forEach((path, text) -> {
            try {
                write(a, path, text, "rw-r--r--");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        for (String path : new ArrayList<>(files.keySet()).reversed()) {
            write(b, path, files.get(path), "rw-------");
        }
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        TarballWriter.write(a, SourceIgnore.none(), first);
        TarballWriter.write(b, SourceIgnore.none(), second);

        assertThat(first.size()).isGreaterThan(20 * ParallelGzipOutputStream.BLOCK_SIZE / 4);
        assertThat(second.toByteArray()).isEqualTo(first.toByteArray());
        java.util.Map<String, String> read = new java.util.TreeMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new java.util.zip.GZIPInputStream(
                new ByteArrayInputStream(first.toByteArray())))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (entry.isFile()) {
                    read.put(entry.getName(), new String(tar.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        }
        assertThat(read).isEqualTo(files);
    }

    private static List<TarArchiveEntry> entries(Path dir, SourceIgnore ignore) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarballWriter.write(dir, ignore, out);
        List<TarArchiveEntry> entries = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(
                new ByteArrayInputStream(out.toByteArray())))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                entries.add(entry);
            }
        }
        return entries;
    }

    private static void write(Path root, String path, String content, String permissions) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
    }

    private static void touchAll(Path root, Instant time) throws IOException {
        try (var files = Files.walk(root)) {
            for (Path p : files.toList()) {
                if (!Files.isSymbolicLink(p)) {
                    Files.setLastModifiedTime(p, FileTime.from(time));
                }
            }
        }
    }
}
