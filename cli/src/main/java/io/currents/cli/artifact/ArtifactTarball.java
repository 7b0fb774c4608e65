package io.currents.cli.artifact;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.eclipse.jgit.ignore.FastIgnoreRule;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * A reproducible tar.gz of a directory (or one file) for {@code push/build/diff artifact}: regular files in name
 * order with zero times and owners, {@code .git/} and {@code --ignore-paths} (gitignore patterns) left out, symbolic
 * links and other special files skipped as flux does.
 */
final class ArtifactTarball {

    private ArtifactTarball() {
    }

    static void write(Path source, List<String> ignorePaths, OutputStream out) throws IOException {
        List<FastIgnoreRule> rules = new ArrayList<>();
        rules.add(new FastIgnoreRule(".git/"));
        for (String pattern : ignorePaths) {
            if (!pattern.isBlank()) {
                rules.add(new FastIgnoreRule(pattern.strip()));
            }
        }
        Path root = Files.isDirectory(source) ? source : source.getParent();
        List<Path> files;
        try (Stream<Path> walk = Files.isDirectory(source) ? Files.walk(source) : Stream.of(source)) {
            files = walk.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> !ignored(rules, root.relativize(p).toString().replace('\\', '/')))
                    .sorted()
                    .toList();
        }
        GZIPOutputStream gzip = new GZIPOutputStream(out);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        for (Path file : files) {
            TarArchiveEntry entry = new TarArchiveEntry(root.relativize(file).toString().replace('\\', '/'));
            entry.setSize(Files.size(file));
            entry.setMode(Files.isExecutable(file) ? 0755 : 0644);
            entry.setModTime(0);
            tar.putArchiveEntry(entry);
            Files.copy(file, tar);
            tar.closeArchiveEntry();
        }
        tar.finish();
        gzip.finish();
        out.flush();
    }

    private static boolean ignored(List<FastIgnoreRule> rules, String path) {
        boolean ignored = false;
        String[] parts = path.split("/");
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            prefix.append(i == 0 ? "" : "/").append(parts[i]);
            boolean directory = i < parts.length - 1;
            for (FastIgnoreRule rule : rules) {
                if (rule.isMatch(prefix.toString(), directory)) {
                    ignored = rule.getResult();
                }
            }
            if (ignored && directory) {
                return true;
            }
        }
        return ignored;
    }
}
