package io.currents.runtime.artifact;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever names and symlinks a tarball holds, extraction either refuses it or writes only inside the target, and
 * every link it leaves resolves inside the target. The tarballs are built from path segments that matter for escapes
 * ({@code ..}, {@code .}, empty, a leading {@code /}) and from names that earlier entries made into links.
 */
class ArtifactArchivePropertiesTest {

    /** One tar entry: a directory, a file or a symlink. */
    record Entry(char type, String name, String link) {
    }

    @Provide
    Arbitrary<String> paths() {
        Arbitrary<String> segment = Arbitraries.of("a", "b", "c", "..", ".", "", "a/..", "../a");
        return segment.list().ofMinSize(1).ofMaxSize(4).map(s -> String.join("/", s))
                .flatMap(p -> Arbitraries.of(p, "/" + p, p + "/"));
    }

    @Provide
    Arbitrary<List<Entry>> archives() {
        Arbitrary<Character> type = Arbitraries.of('d', 'f', 'l', 'l');
        return Combinators.combine(type, paths(), paths()).as(Entry::new).list().ofMinSize(1).ofMaxSize(8);
    }

    @Property(tries = 200)
    void nothingIsWrittenOutsideTheTargetAndNoLinkLeavesIt(@ForAll("archives") List<Entry> entries)
            throws IOException {
        // the target sits five levels deep: every generated path has at most four segments, so whatever escapes lands
        // in this sandbox, where it is seen
        Path sandbox = Files.createTempDirectory("untar-property");
        Path target = sandbox.resolve("s1/s2/s3/s4/target");
        Files.createDirectories(target);
        Files.writeString(sandbox.resolve("s1/s2/s3/s4/outside.txt"), "unchanged");
        Map<String, String> before = snapshot(sandbox, target);
        try {
            try {
                ArtifactArchive.extract(new ByteArrayInputStream(tarGz(entries)), target, 1 << 20);
                for (Path p : tree(target).stream().filter(Files::isSymbolicLink).toList()) {
                    Path resolved = p.getParent().resolve(Files.readSymbolicLink(p)).normalize();
                    assertThat(resolved).as("link %s", target.relativize(p)).startsWithRaw(target);
                    Path real;
                    try {
                        real = p.toRealPath();
                    } catch (IOException danglingOrLoop) {
                        continue; // resolves nowhere: nothing can be reached through it
                    }
                    assertThat(real).as("link %s", target.relativize(p)).startsWithRaw(target.toRealPath());
                }
            } catch (ArtifactArchive.UnsafeArchiveException refused) {
                assertThat(refused.getMessage()).isNotBlank();
            }
            assertThat(snapshot(sandbox, target)).as("the sandbox outside the target").isEqualTo(before);
        } finally {
            deleteTree(sandbox);
        }
    }

    /** Every path outside {@code target} with its content (files) or link text, read without following links. */
    private static Map<String, String> snapshot(Path sandbox, Path target) throws IOException {
        Map<String, String> seen = new TreeMap<>();
        for (Path p : tree(sandbox)) {
            if (!p.startsWith(target)) {
                String what = Files.isSymbolicLink(p) ? "-> " + Files.readSymbolicLink(p)
                        : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "dir" : Files.readString(p);
                seen.put(sandbox.relativize(p).toString(), what);
            }
        }
        return seen;
    }

    /** Every path under {@code root}, never following a link (some loop, some dangle). */
    private static List<Path> tree(Path root) throws IOException {
        List<Path> all = new java.util.ArrayList<>(List.of(root));
        if (Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> children = Files.list(root)) {
                for (Path child : children.toList()) {
                    all.addAll(tree(child));
                }
            }
        }
        return all;
    }

    private static byte[] tarGz(List<Entry> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Entry e : entries) {
                TarArchiveEntry entry;
                switch (e.type()) {
                    case 'd' -> entry = new TarArchiveEntry(e.name().endsWith("/") ? e.name() : e.name() + "/", true);
                    case 'l' -> {
                        entry = new TarArchiveEntry(e.name(), TarArchiveEntry.LF_SYMLINK, true);
                        entry.setLinkName(e.link());
                    }
                    default -> entry = new TarArchiveEntry(e.name(), true);
                }
                byte[] data = e.type() == 'f' && !entry.isDirectory() ? ("written as " + e.name()).getBytes(StandardCharsets.UTF_8) : new byte[0];
                entry.setSize(data.length);
                tar.putArchiveEntry(entry);
                tar.write(data);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static void deleteTree(Path root) throws IOException {
        for (Path p : tree(root).reversed()) {
            Files.deleteIfExists(p);
        }
    }
}
