package io.currents.sourcewatcher.build;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.Adler32;

/**
 * The file name of a generated artifact, {@code <hash>.tar.gz}, computed from its staged contents as Flux's
 * source-watcher does: an Adler-32 over {@code "<adler32 of file>  <name>/<path>\n"} lines of the sorted files,
 * printed in decimal. The same contents give the same file name, so an unchanged artifact is not stored twice.
 */
public final class ContentHash {

    private ContentHash() {
    }

    /** The hash of every regular file under {@code dir}, each named {@code <prefix>/<relative path>}. */
    public static String of(Path dir, String prefix) throws IOException {
        List<String> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .forEach(p -> files.add(prefix + "/" + dir.relativize(p).toString().replace('\\', '/')));
        }
        files.sort(null);
        Adler32 summary = new Adler32();
        byte[] buf = new byte[64 * 1024];
        for (String file : files) {
            if (file.contains("\n")) {
                throw new IOException("file names with newlines are not supported: " + file.replace("\n", "\\n"));
            }
            Adler32 content = new Adler32();
            Path p = dir.resolve(file.substring(prefix.length() + 1));
            if (Files.isRegularFile(p)) {
                try (InputStream in = Files.newInputStream(p)) {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        content.update(buf, 0, n);
                    }
                }
            }
            String hex = HexFormat.of().toHexDigits((int) content.getValue()).replaceFirst("^0+(?=.)", "");
            summary.update((hex + "  " + file + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return Long.toString(summary.getValue());
    }
}
