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
import java.util.List;
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

    /**
     * Copies a local copy of the {@code manifests/} tree ({@code install --manifests}) into {@code target}; it must hold
     * {@code bases/}, {@code crds/} and {@code policies/}, the directories the generated kustomization names.
     */
    public static Path copyFrom(Path source, Path target) {
        for (String dir : List.of("bases", "crds", "policies")) {
            if (!Files.isDirectory(source.resolve(dir))) {
                throw new io.currents.cli.output.CliException("--manifests " + source + " has no " + dir + "/ directory; pass a copy of"
                        + " the manifests/ tree of this version (bases/, crds/, policies/)", io.currents.cli.output.ExitCodes.USAGE);
            }
        }
        try {
            copyTree(source, target);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the manifests of " + source + " to " + target, e);
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
