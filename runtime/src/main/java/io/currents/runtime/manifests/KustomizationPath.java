package io.currents.runtime.manifests;

import io.currents.runtime.reconcile.ReconcileFailure;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Flux's rule for {@code spec.path}: relative to the root of the source artifact (a leading {@code /} or {@code ./}
 * changes nothing, empty means the root), never outside it, and a directory.
 */
public final class KustomizationPath {

    private KustomizationPath() {
    }

    /**
     * The directory {@code path} names under {@code root} (a real path).
     *
     * @param revision the artifact's revision, named when the directory is missing
     * @throws ReconcileFailure stalled when the path leaves the artifact, retried when it names no directory
     */
    public static Path resolve(Path root, String path, String revision) throws ReconcileFailure {
        Path dir = root.resolve(relative(path)).normalize();
        if (!dir.startsWith(root)) {
            throw ReconcileFailure.stalled(Reasons.ARTIFACT_FAILED, "kustomization path '" + path + "' points outside the artifact");
        }
        if (!Files.isDirectory(dir)) {
            throw ReconcileFailure.retry(Reasons.ARTIFACT_FAILED, "kustomization path not found: " + display(path)
                    + ": no such directory in revision " + revision);
        }
        return dir;
    }

    /** {@code path} without its leading slashes and surrounding blanks: the form that resolves under a root. */
    public static String relative(String path) {
        if (path == null) {
            return "";
        }
        String p = path.strip();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        return p;
    }

    /** {@code path} as Flux shows it in messages: {@code ./} for the root. */
    public static String display(String path) {
        return path == null || path.isEmpty() ? "./" : path;
    }
}
