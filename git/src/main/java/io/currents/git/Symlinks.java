package io.currents.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where symlinks in a checkout or an archive lead: a link may only resolve inside its tree. */
public final class Symlinks {

    private Symlinks() {
    }

    /**
     * Whether the symlink {@code link} under {@code root} resolves to a place inside {@code root}:
     * its target is relative, stays inside when read as written, and stays inside when the links
     * along the way are followed (a target through {@code a -> .} then {@code ..} would not).
     * Loops and unreadable links are refused.
     */
    public static boolean staysInside(Path root, Path link) throws IOException {
        Path base = root.toAbsolutePath().normalize();
        Path target = Files.readSymbolicLink(link);
        if (target.isAbsolute()) {
            return false;
        }
        Path absoluteLink = link.toAbsolutePath().normalize();
        if (!absoluteLink.getParent().resolve(target).normalize().startsWith(base)) {
            return false;
        }
        try {
            return followExisting(absoluteLink.getParent().resolve(target)).startsWith(base.toRealPath());
        } catch (IOException e) {
            // loops and unreadable links are refused rather than guessed about
            return false;
        }
    }

    /** Resolves links on the existing part of {@code path}; the rest cannot contain links, so it is normalized as text. */
    private static Path followExisting(Path path) throws IOException {
        Path resolved = path.getRoot();
        int count = path.getNameCount();
        for (int i = 0; i < count; i++) {
            Path candidate = resolved.resolve(path.getName(i));
            if (Files.exists(candidate)) {
                resolved = candidate.toRealPath();
            } else {
                return candidate.resolve(i + 1 < count ? path.subpath(i + 1, count) : Path.of("")).normalize();
            }
        }
        return resolved;
    }

}
