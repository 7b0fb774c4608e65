package io.currents.image.update;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs the Setters strategy over a checkout: every {@code .yaml}/{@code .yml} file under the update
 * path (symlinks and {@code .git} skipped) gets its markers rewritten; the result says what
 * changed per file and per object, as Flux's commit template sees it. The update path is checked by
 * real path: a symlink in the repository cannot lead the rewrite into other directories.
 */
public final class SetterUpdate {

    /** Changes by file (relative path, '/'-separated) and object. */
    public record Result(Map<String, Map<ObjectIdentifier, List<Change>>> fileChanges) {
        public boolean changed() {
            return !fileChanges.isEmpty();
        }

        public List<String> files() {
            return new ArrayList<>(fileChanges.keySet());
        }

        public Map<ObjectIdentifier, List<Change>> objects() {
            Map<ObjectIdentifier, List<Change>> all = new TreeMap<>();
            fileChanges.values().forEach(m -> m.forEach((id, changes) -> all.computeIfAbsent(id, k -> new ArrayList<>()).addAll(changes)));
            return all;
        }

        public List<Change> changes() {
            List<Change> all = new ArrayList<>();
            fileChanges.values().forEach(m -> m.values().forEach(all::addAll));
            return all;
        }
    }

    private SetterUpdate() {
    }

    public static Result apply(Path root, String path, Map<String, String> values) throws GitAutomationException {
        Path realRoot;
        Path start;
        try {
            realRoot = root.toRealPath();
            String p = path == null || path.isBlank() ? "." : path;
            start = realRoot.resolve(p.startsWith("/") ? p.substring(1) : p).normalize();
            if (!start.startsWith(realRoot)) {
                throw new GitAutomationException("InvalidPath", "spec.update.path '" + path + "' points outside the repository");
            }
            if (!Files.isDirectory(start)) {
                throw new GitAutomationException("InvalidPath", "spec.update.path '" + path + "' is not a directory in the repository");
            }
            // the text stays inside; a symlink in the repository (link -> /tmp) may still lead out: follow it and check again
            start = start.toRealPath();
            if (!start.startsWith(realRoot)) {
                throw new GitAutomationException("InvalidPath", "spec.update.path '" + path + "' leads outside the repository"
                        + " through a symbolic link");
            }
        } catch (IOException e) {
            throw new GitAutomationException("InvalidPath", "cannot read the checkout: " + e.getMessage());
        }
        Map<String, Map<ObjectIdentifier, List<Change>>> changes = new TreeMap<>();
        List<String> errors = new ArrayList<>();
        try {
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return dir.getFileName() != null && dir.getFileName().toString().equals(".git") ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    String name = file.getFileName().toString();
                    if (!attrs.isRegularFile() || !(name.endsWith(".yaml") || name.endsWith(".yml"))) {
                        return FileVisitResult.CONTINUE;
                    }
                    String relative = realRoot.relativize(file).toString().replace('\\', '/');
                    String text;
                    try {
                        text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
                    } catch (CharacterCodingException e) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (!SetterRewriter.hasMarkers(text)) {
                        return FileVisitResult.CONTINUE;
                    }
                    try {
                        SetterRewriter.Result result = SetterRewriter.apply(text, values);
                        if (result.changed()) {
                            Files.writeString(file, result.text(), StandardCharsets.UTF_8);
                            changes.put(relative, result.changes());
                        }
                    } catch (IllegalArgumentException e) {
                        errors.add(relative + ": " + e.getMessage());
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new GitAutomationException("UpdateFailed", "failed to update files: " + e.getMessage());
        }
        if (!errors.isEmpty()) {
            throw new GitAutomationException("UpdateFailed", "files with image policy markers could not be parsed: " + String.join("; ", errors));
        }
        return new Result(changes);
    }
}
