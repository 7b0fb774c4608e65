package io.currents.cli.install;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The {@code manifests/} tree (CRDs, controller bases, policies, install) as built into the CLI jar at
 * {@code io/currents/cli/manifests}; copied out to a directory so the kustomize engine can build it.
 */
public final class EmbeddedManifests {

    static final String ROOT = "/io/currents/cli/manifests";

    private EmbeddedManifests() {
    }

    /** Copies the embedded tree into {@code target} (created if missing) and returns {@code target}. */
    public static Path copyTo(Path target) {
        URL marker = EmbeddedManifests.class.getResource(ROOT + "/install/kustomization.yaml");
        if (marker == null) {
            throw new IllegalStateException("the install manifests are missing from the CLI jar; rebuild it with Maven");
        }
        try {
            URI uri = marker.toURI();
            if ("jar".equals(uri.getScheme())) {
                FileSystem fs;
                try {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException e) {
                    fs = FileSystems.getFileSystem(uri);
                }
                copyTree(fs.getPath(ROOT), target);
            } else {
                copyTree(Path.of(uri).getParent().getParent(), target);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the embedded manifests to " + target, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path dest = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(dest);
                } else {
                    Files.createDirectories(dest.getParent());
                    Files.copy(file, dest, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
