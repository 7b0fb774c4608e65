package io.currents.cli.dev;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout of Currents that {@code dev} works from: controllers' jars, examples/, manifests/, hack/. */
final class ProjectRoot {

    private ProjectRoot() {
    }

    /**
     * {@code -Dcurrents.home} (set by {@code bin/currents}), else the first directory above the working directory,
     * then above the CLI's own code, that looks like a checkout.
     */
    static Path find() {
        String home = System.getProperty("currents.home");
        if (home != null && isCheckout(Path.of(home))) {
            return Path.of(home).toAbsolutePath();
        }
        Path fromCwd = above(Path.of("").toAbsolutePath());
        if (fromCwd != null) {
            return fromCwd;
        }
        try {
            Path code = Path.of(ProjectRoot.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path fromCode = above(code);
            if (fromCode != null) {
                return fromCode;
            }
        } catch (URISyntaxException | SecurityException | NullPointerException ignored) {
            // fall through to the error below
        }
        throw new IllegalStateException("`currents dev` runs from a checkout of Currents; run bin/currents from the checkout");
    }

    private static Path above(Path start) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (isCheckout(dir)) {
                return dir;
            }
        }
        return null;
    }

    private static boolean isCheckout(Path dir) {
        return Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("examples"))
                && Files.isDirectory(dir.resolve("manifests")) && Files.isDirectory(dir.resolve("source-controller"));
    }
}
