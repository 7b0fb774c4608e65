package io.currents.sourcewatcher.build;

import io.currents.api.source.extensions.v1beta1.ArtifactGenerator;
import io.currents.api.source.extensions.v1beta1.CopyOperation;
import io.currents.kustomize.yaml.YamlException;
import io.currents.kustomize.yaml.YamlReader;
import io.currents.kustomize.yaml.YamlWriter;
import io.currents.runtime.artifact.ArtifactArchive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Fills an artifact's staging directory from the unpacked source artifacts by applying its copy operations in
 * order, with the {@code cp}-like semantics of Flux's source-watcher: a file to a path or into a directory, a
 * directory as a subdirectory, {@code dir/**} as the directory's contents, globs for several entries; later
 * operations overwrite files of earlier ones ({@code Overwrite}), deep-merge YAML into them ({@code Merge}), or
 * unpack tarballs ({@code Extract}). Sources and copy operations come from tenants: nothing is read outside a
 * source's directory, nothing is written outside the staging directory, and the staged bytes are capped.
 */
public final class ArtifactAssembler {

    private static final String ARTIFACT_PREFIX = "@artifact/";

    private final Map<String, Path> sources;
    private final Path staging;
    private final long maxBytes;
    private long written;

    /**
     * @param sources  the unpacked source artifacts by alias
     * @param staging  the (existing, empty) directory the artifact is assembled in
     * @param maxBytes the largest total of bytes written to the staging directory
     */
    public ArtifactAssembler(Map<String, Path> sources, Path staging, long maxBytes) throws IOException {
        this.sources = new LinkedHashMap<>();
        for (var source : sources.entrySet()) {
            this.sources.put(source.getKey(), source.getValue().toRealPath());
        }
        this.staging = staging.toRealPath();
        this.maxBytes = maxBytes;
    }

    /** Applies the operations in order; the first failure stops and names the operation. */
    public void apply(List<CopyOperation> operations) throws BuildException {
        for (CopyOperation op : operations) {
            try {
                apply(op);
            } catch (BuildException e) {
                throw new BuildException("failed to apply copy operation from '" + op.getFrom() + "' to '" + op.getTo()
                        + "': " + e.getMessage(), e);
            } catch (IOException e) {
                throw new BuildException("failed to apply copy operation from '" + op.getFrom() + "' to '" + op.getTo()
                        + "': " + describe(e), e);
            }
        }
    }

    private void apply(CopyOperation op) throws BuildException, IOException {
        String from = op.getFrom() == null ? "" : op.getFrom();
        if (!from.startsWith("@") || from.indexOf('/') < 0) {
            throw new BuildException("invalid copy source '" + from + "': source format must be '@alias/pattern'");
        }
        String alias = from.substring(1, from.indexOf('/'));
        String pattern = from.substring(from.indexOf('/') + 1);
        String to = op.getTo() == null ? "" : op.getTo();
        if (!to.startsWith(ARTIFACT_PREFIX)) {
            throw new BuildException("invalid copy destination '" + to + "': destination must start with '@artifact/'");
        }
        String dest = clean(to.substring(ARTIFACT_PREFIX.length()));
        Path srcRoot = sources.get(alias);
        if (srcRoot == null) {
            throw new BuildException("source alias '" + alias + "' not found");
        }
        List<String> excludes = op.getExclude() == null ? List.of() : op.getExclude();
        for (String exclude : excludes) {
            try {
                Glob.validateDoublestar(exclude);
            } catch (Glob.BadPatternException e) {
                throw new BuildException("invalid exclude pattern '" + exclude + "'");
            }
        }
        boolean extract = ArtifactGenerator.STRATEGY_EXTRACT.equals(op.getStrategy());
        boolean merge = ArtifactGenerator.STRATEGY_MERGE.equals(op.getStrategy());

        if (!Glob.hasMeta(pattern)) {
            copySingle(op, srcRoot, clean(pattern), dest, to.endsWith("/"), excludes, extract, merge);
            return;
        }
        List<String> matches;
        try {
            matches = extract ? Glob.globDoublestar(srcRoot, pattern) : Glob.glob(srcRoot, pattern);
        } catch (Glob.BadPatternException e) {
            throw new BuildException("invalid glob pattern '" + pattern + "': " + e.getMessage());
        }
        if (matches.isEmpty()) {
            throw new BuildException("no files match pattern '" + pattern + "' in source '" + alias + "'");
        }
        String excludeBase = selectionRoot(pattern);
        List<String> selected = matches.stream()
                .filter(m -> !m.equals(".") && !m.equals("..") && !excluded(m, excludeBase, excludes)).toList();
        if (selected.isEmpty()) {
            throw new BuildException("all files matching pattern '" + pattern + "' in source '" + alias + "' were excluded");
        }
        for (String match : selected) {
            if (extract) {
                if (isTarball(match) && !Files.isDirectory(source(srcRoot, match))) {
                    extract(srcRoot, match, dest);
                }
            } else {
                copy(srcRoot, match, globDestination(pattern, match, dest), excludeBase, excludes, merge);
            }
        }
    }

    private void copySingle(CopyOperation op, Path srcRoot, String srcPath, String dest, boolean destIsDir,
                            List<String> excludes, boolean extract, boolean merge) throws BuildException, IOException {
        Path src = source(srcRoot, srcPath);
        if (!Files.exists(src)) {
            throw new BuildException("source '" + srcPath + "' does not exist");
        }
        if (Files.isDirectory(src)) {
            if (extract) {
                throw new BuildException("extract strategy is not supported for directories, got '" + srcPath + "'");
            }
            // cp -r dir dest: the directory lands as dest/<dir> (the root itself, ".", as dest)
            copy(srcRoot, srcPath, join(dest, baseName(srcPath)), srcPath, excludes, false);
            return;
        }
        if (excluded(srcPath, ".", excludes)) {
            return;
        }
        if (extract) {
            if (!isTarball(srcPath)) {
                throw new BuildException("extract strategy requires tarball file (.tar.gz or .tgz), got '" + srcPath + "'");
            }
            extract(srcRoot, srcPath, dest);
            return;
        }
        String target = destIsDir || Files.isDirectory(target(dest), LinkOption.NOFOLLOW_LINKS)
                ? join(dest, baseName(srcPath)) : dest;
        copy(srcRoot, srcPath, target, ".", excludes, merge);
    }

    /** Copies a file (merging YAML when asked and the target exists) or a directory tree. */
    private void copy(Path srcRoot, String srcPath, String dest, String excludeBase, List<String> excludes, boolean merge)
            throws BuildException, IOException {
        Path src = source(srcRoot, srcPath);
        if (Files.isDirectory(src)) {
            copyTree(srcRoot, srcPath, dest, excludeBase, excludes);
        } else if (merge && Files.isRegularFile(target(dest), LinkOption.NOFOLLOW_LINKS)) {
            mergeYaml(src, srcPath, dest);
        } else {
            copyFile(src, dest);
        }
    }

    private void copyTree(Path srcRoot, String srcPath, String dest, String excludeBase, List<String> excludes)
            throws BuildException, IOException {
        Files.createDirectories(target(dest));
        Path dir = source(srcRoot, srcPath);
        List<Path> children;
        try (Stream<Path> list = Files.list(dir)) {
            children = list.sorted().toList();
        }
        for (Path child : children) {
            String name = child.getFileName().toString();
            String childPath = srcPath.equals(".") ? name : srcPath + "/" + name;
            if (excluded(childPath, excludeBase, excludes)) {
                continue;
            }
            if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                copyTree(srcRoot, childPath, join(dest, name), excludeBase, excludes);
            } else {
                copyFile(source(srcRoot, childPath), join(dest, name));
            }
        }
    }

    private void copyFile(Path src, String dest) throws BuildException, IOException {
        if (Files.isDirectory(src)) {
            throw new BuildException("'" + src.getFileName() + "' is a link to a directory");
        }
        Path target = target(dest);
        Files.createDirectories(target.getParent());
        ensureInside(target.getParent().toRealPath(), dest);
        Files.deleteIfExists(target);
        try (InputStream in = Files.newInputStream(src);
             OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                count(n);
                out.write(buf, 0, n);
            }
        }
        if (Files.isExecutable(src)) {
            target.toFile().setExecutable(true, false);
        }
    }

    /** Deep-merges the YAML of {@code src} into the staged file at {@code dest}, as Helm merges values files. */
    private void mergeYaml(Path src, String srcPath, String dest) throws BuildException, IOException {
        Map<String, Object> base = loadYaml(target(dest), dest);
        Map<String, Object> overlay = loadYaml(src, srcPath);
        byte[] merged = YamlWriter.toYaml(mergeMaps(base, overlay)).getBytes(StandardCharsets.UTF_8);
        count(merged.length);
        Files.write(target(dest), merged);
    }

    /** Every document of a YAML file merged into one map, later documents winning. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> loadYaml(Path file, String name) throws BuildException, IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            for (Object doc : YamlReader.readAll(Files.readString(file))) {
                if (!(doc instanceof Map<?, ?> map)) {
                    throw new BuildException("cannot unmarshal YAML document of '" + name + "': not a mapping");
                }
                out = mergeMaps(out, (Map<String, Object>) map);
            }
        } catch (YamlException e) {
            throw new BuildException("error reading YAML document of '" + name + "': " + e.getMessage());
        }
        return out;
    }

    /** Maps merge key by key; anything else (lists included) in the overlay replaces the base value. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> mergeMaps(Map<String, Object> base, Map<String, Object> overlay) {
        Map<String, Object> out = new LinkedHashMap<>(base);
        for (var e : overlay.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> o && out.get(e.getKey()) instanceof Map<?, ?> b) {
                out.put(e.getKey(), mergeMaps((Map<String, Object>) b, (Map<String, Object>) o));
            } else {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    private void extract(Path srcRoot, String srcPath, String dest) throws BuildException, IOException {
        Path target = target(dest);
        Files.createDirectories(target);
        long before = sizeOf(target);
        try (InputStream in = Files.newInputStream(source(srcRoot, srcPath))) {
            ArtifactArchive.extract(in, target, Math.max(0, maxBytes - written));
        } catch (ArtifactArchive.UnsafeArchiveException e) {
            throw new BuildException("failed to extract tarball '" + srcPath + "' to '" + dest + "': " + e.getMessage());
        }
        count(sizeOf(target) - before);
    }

    /** A path inside a source: its real location must stay under the source root (links may not lead out). */
    private Path source(Path srcRoot, String rel) throws BuildException, IOException {
        Path p = srcRoot.resolve(rel).normalize();
        if (!p.startsWith(srcRoot)) {
            throw new BuildException("source path '" + rel + "' is outside the source");
        }
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            Path real;
            try {
                real = p.toRealPath();
            } catch (NoSuchFileException e) {
                throw new BuildException("source path '" + rel + "' is a dangling link");
            }
            if (!real.startsWith(srcRoot)) {
                throw new BuildException("source path '" + rel + "' links outside the source");
            }
        }
        return p;
    }

    /** A path inside the staging directory; {@code ..} may not lead out of it. */
    private Path target(String rel) throws BuildException {
        Path p = staging.resolve(rel).normalize();
        if (!p.startsWith(staging)) {
            throw new BuildException("destination '" + rel + "' is outside the artifact");
        }
        return p;
    }

    private void ensureInside(Path real, String rel) throws BuildException {
        if (!real.startsWith(staging)) {
            throw new BuildException("destination '" + rel + "' is outside the artifact");
        }
    }

    private void count(long bytes) throws BuildException {
        written += bytes;
        if (written > maxBytes) {
            throw new BuildException("the artifact is larger than the limit of " + maxBytes + " bytes");
        }
    }

    /** Whether a source path is excluded: matched as it is, relative to the selection root, or by file name. */
    static boolean excluded(String path, String base, List<String> excludes) {
        if (excludes.isEmpty()) {
            return false;
        }
        if (matchesAny(path, excludes)) {
            return true;
        }
        String rel = relativeTo(base, path);
        return rel != null && !rel.equals(".") && !rel.equals(path) && matchesAny(rel, excludes);
    }

    private static boolean matchesAny(String path, List<String> excludes) {
        String name = baseName(path);
        for (String pattern : excludes) {
            if (Glob.matchDoublestar(pattern, path) || (!pattern.contains("/") && Glob.matchDoublestar(pattern, name))) {
                return true;
            }
        }
        return false;
    }

    private static String relativeTo(String base, String path) {
        base = clean(base);
        path = clean(path);
        if (base.equals(".")) {
            return path;
        }
        if (path.equals(base)) {
            return ".";
        }
        return path.startsWith(base + "/") ? path.substring(base.length() + 1) : null;
    }

    /** Where a glob match goes: {@code dir/**} strips {@code dir/}, any other pattern keeps the match's path. */
    static String globDestination(String pattern, String match, String dest) {
        if (pattern.endsWith("/**")) {
            String prefix = pattern.substring(0, pattern.length() - 3) + "/";
            if (match.startsWith(prefix)) {
                return join(dest, match.substring(prefix.length()));
            }
        }
        return join(dest, match);
    }

    /** The literal part of a pattern before its first glob segment, which excludes may be relative to. */
    static String selectionRoot(String pattern) {
        List<String> parts = new ArrayList<>();
        for (String part : clean(pattern).split("/")) {
            if (Glob.hasMeta(part)) {
                break;
            }
            parts.add(part);
        }
        return parts.isEmpty() ? "." : String.join("/", parts);
    }

    static boolean isTarball(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        return lower.endsWith(".tar.gz") || lower.endsWith(".tgz");
    }

    /** Go's {@code filepath.Clean} for relative slash paths: no empty or {@code .} segments, {@code ..} folded. */
    static String clean(String path) {
        List<String> out = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..") && !out.isEmpty() && !out.getLast().equals("..")) {
                out.removeLast();
            } else {
                out.add(part);
            }
        }
        return out.isEmpty() ? "." : String.join("/", out);
    }

    private static String join(String dir, String name) {
        return clean(dir + "/" + name);
    }

    private static String baseName(String path) {
        String cleaned = clean(path);
        int slash = cleaned.lastIndexOf('/');
        return slash < 0 ? cleaned : cleaned.substring(slash + 1);
    }

    private static long sizeOf(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static String describe(IOException e) {
        return e instanceof NoSuchFileException ? "no such file '" + e.getMessage() + "'" : String.valueOf(e.getMessage());
    }
}
