package io.currents.cli.ops;

import io.currents.api.kustomize.v1.Kustomization;
import io.currents.api.kustomize.v1.KustomizationSpec;
import io.currents.api.kustomize.v1.PostBuild;
import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import io.currents.kustomize.RemoteResources;
import io.currents.kustomize.yaml.YamlReader;
import io.currents.runtime.apply.Owner;
import io.currents.runtime.artifact.SourceIgnore;
import io.currents.runtime.apply.Unstructured;
import io.currents.runtime.manifests.ManifestBuilder;
import io.currents.runtime.manifests.PostBuildVariables;
import io.currents.runtime.reconcile.ReconcileFailure;
import io.currents.runtime.sops.SopsDecryptor;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Renders a Kustomization from a local directory exactly as kustomize-controller would from its artifact: the
 * spec overlay (targetNamespace, namePrefix, patches, images, components), kustomize build, post-build
 * substitution (substituteFrom read from the cluster unless dry-run) and the owner labels. The local directory is
 * copied first, since the overlay rewrites the kustomization file. SOPS-encrypted documents cannot be decrypted
 * without the cluster's keys and are shown masked, as flux does.
 */
public final class LocalBuild {

    static final String SOPS_MASK = "**SOPS**";
    private static final long MAX_FILE_BYTES = 64L * 1024 * 1024;

    private LocalBuild() {
    }

    /** The Kustomization from a local file (the document of that kind and name) or from the cluster. */
    static Kustomization load(KubernetesClient client, String namespace, String name, Path file) {
        if (file == null) {
            Kustomization k = client.resources(Kustomization.class).inNamespace(namespace).withName(name).get();
            if (k == null) {
                throw new CliException("Kustomization '" + namespace + "/" + name
                        + "' not found; check the name and --namespace, or pass its YAML with --kustomization-file");
            }
            return k;
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new CliException("cannot read " + file + "; check the path given to --kustomization-file", ExitCodes.FAILURE, e);
        }
        KubernetesSerialization serialization = new KubernetesSerialization();
        for (Object doc : YamlReader.readAll(text)) {
            Map<String, Object> map = FluxObjects.map(doc);
            if ("Kustomization".equals(map.get("kind")) && String.valueOf(map.get("apiVersion")).startsWith("kustomize.toolkit.fluxcd.io/")
                    && name.equals(FluxObjects.string(map, "metadata", "name"))) {
                Kustomization k = serialization.unmarshal(serialization.asJson(map), Kustomization.class);
                if (k.getMetadata().getNamespace() == null) {
                    k.getMetadata().setNamespace(namespace);
                }
                return k;
            }
        }
        throw new CliException("no Flux Kustomization named '" + name + "' in " + file + "; check the name or the file");
    }

    /**
     * Builds {@code path} for the Kustomization. With {@code client} null (dry-run) substituteFrom is skipped and
     * only the inline {@code postBuild.substitute} values apply.
     */
    public static List<GenericKubernetesResource> build(Kustomization k, Path path, KubernetesClient client) {
        return build(k, path, client, SourceIgnore.none(), false);
    }

    /**
     * As {@link #build(Kustomization, Path, KubernetesClient)}, leaving out the files {@code ignore} matches (flux's
     * {@code --ignore-paths}, relative to {@code path}) and, with {@code strict}, failing on a variable without a value
     * or default (flux's {@code --strict-substitute}).
     */
    public static List<GenericKubernetesResource> build(Kustomization k, Path path, KubernetesClient client, SourceIgnore ignore,
                                                        boolean strict) {
        return build(k, path, client, ignore, strict, false);
    }

    /**
     * As {@link #build(Kustomization, Path, KubernetesClient, SourceIgnore, boolean)}; with {@code inMemory} (flux's
     * {@code --in-memory-build}) the Git work tree holding {@code path} (or {@code path} outside of Git), {@code .git} left
     * out, is read into an in-memory file system at the same absolute paths and built there: nothing is written to disk,
     * not even the copy beside {@code path} the default build makes (which needs a writable parent directory).
     */
    public static List<GenericKubernetesResource> build(Kustomization k, Path path, KubernetesClient client, SourceIgnore ignore,
                                                        boolean strict, boolean inMemory) {
        if (!Files.isDirectory(path)) {
            throw new CliException("--path " + path + " is not a directory; point it at the directory the Kustomization's spec.path names");
        }
        if (!inMemory) {
            return buildOnCopy(k, path, client, ignore, strict);
        }
        Path target = path.toAbsolutePath().normalize();
        Path sourceRoot = workTree(target);
        try (java.nio.file.FileSystem memory = com.google.common.jimfs.Jimfs.newFileSystem(com.google.common.jimfs.Configuration.unix())) {
            Path root = memory.getPath(sourceRoot.toString());
            Path dir = memory.getPath(target.toString());
            copy(sourceRoot, root, SourceIgnore.none(), target);
            copy(target, dir, ignore, null);
            return buildIn(k, root, dir, client, strict);
        } catch (ReconcileFailure f) {
            throw new CliException(f.getMessage(), ExitCodes.FAILURE, f);
        } catch (IOException e) {
            throw new CliException("cannot build " + target + " in memory: " + e.getMessage(), ExitCodes.FAILURE, e);
        }
    }

    private static List<GenericKubernetesResource> buildOnCopy(Kustomization k, Path path, KubernetesClient client, SourceIgnore ignore,
                                                               boolean strict) {
        Path target = path.toAbsolutePath().normalize();
        Path sourceRoot = workTree(target);
        Path copy;
        try {
            // A copy beside the directory, at the same depth, so that references such as ../base resolve as they do
            // in the source; the overlay then rewrites the copy's kustomization file, never the user's.
            copy = target.getParent() == null ? Files.createTempDirectory("currents-build")
                    : Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".currents-build-");
        } catch (IOException e) {
            throw new CliException("cannot create a build directory beside " + target + " (" + e.getMessage()
                    + "); the directory's parent must be writable", ExitCodes.FAILURE, e);
        }
        Path root = copy.startsWith(sourceRoot) ? sourceRoot : copy.getParent();
        Thread cleanup = new Thread(() -> delete(copy), "build-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            copy(target, copy, ignore, null);
            return buildIn(k, root, copy, client, strict);
        } catch (ReconcileFailure f) {
            String message = f.getMessage().replace(copy.toString(), target.toString())
                    .replace(root.relativize(copy).toString(), root.relativize(target).toString());
            throw new CliException(message, ExitCodes.FAILURE, f);
        } finally {
            delete(copy);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }

    /** Builds {@code dir} (under {@code root}, the bound of its references) as kustomize-controller would for the Kustomization. */
    private static List<GenericKubernetesResource> buildIn(Kustomization k, Path root, Path dir, KubernetesClient client, boolean strict)
            throws ReconcileFailure {
        KustomizationSpec spec = k.getSpec();
        PostBuildVariables variables = null;
        if (spec.getPostBuild() != null) {
            PostBuild postBuild = spec.getPostBuild();
            if (client == null) {
                PostBuild inline = new PostBuild();
                inline.setSubstitute(postBuild.getSubstitute());
                postBuild = inline;
            }
            variables = PostBuildVariables.load(client, k.getMetadata().getNamespace(), postBuild);
        }
        List<GenericKubernetesResource> objects = new ManifestBuilder(MAX_FILE_BYTES,
                RemoteResources.enabled().withSshDirectory(RemoteResources.userSshDirectory())).build(root, dir, spec, null, variables, strict);
        Owner owner = Owner.kustomization(k.getMetadata().getName(), k.getMetadata().getNamespace());
        objects.forEach(owner::label);
        return objects;
    }

    /** The YAML stream flux build prints: documents separated by {@code ---}, SOPS-encrypted values masked. */
    static String render(List<GenericKubernetesResource> objects) {
        StringBuilder sb = new StringBuilder();
        for (GenericKubernetesResource object : objects) {
            if (!sb.isEmpty()) {
                sb.append("---\n");
            }
            sb.append(io.currents.kustomize.yaml.YamlWriter.toYaml(masked(Unstructured.toMap(object))));
        }
        return sb.toString();
    }

    /** Replaces the values of SOPS-encrypted documents (Secrets' data and stringData) with {@code **SOPS**}. */
    public static Map<String, Object> masked(Map<String, Object> object) {
        boolean encrypted = SopsDecryptor.isEncrypted(object);
        if (!encrypted && !"Secret".equals(object.get("kind"))) {
            return object;
        }
        Map<String, Object> copy = new LinkedHashMap<>(object);
        copy.remove("sops");
        if (copy.get("data") instanceof Map<?, ?> data) {
            Map<String, Object> masked = new LinkedHashMap<>();
            FluxObjects.map(data).forEach((k, v) -> {
                String decoded = decode(String.valueOf(v));
                masked.put(k, encrypted || decoded.startsWith("ENC[")
                        ? Base64.getEncoder().encodeToString(SOPS_MASK.getBytes(StandardCharsets.UTF_8)) : v);
            });
            copy.put("data", masked);
        }
        if (copy.get("stringData") instanceof Map<?, ?> data) {
            Map<String, Object> masked = new LinkedHashMap<>();
            FluxObjects.map(data).forEach((k, v) -> masked.put(k, encrypted || String.valueOf(v).startsWith("ENC[") ? SOPS_MASK : v));
            copy.put("stringData", masked);
        }
        return copy;
    }

    private static String decode(String value) {
        try {
            return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /** The Git work tree holding the directory, or the directory itself outside of Git. */
    static Path workTree(Path dir) {
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.exists(p.resolve(".git"))) {
                return p;
            }
        }
        return dir;
    }

    /**
     * Another build's copy of a directory (plan builds a graph level in parallel, and a copy is made beside its
     * directory, so a build of a parent directory may meet it, even while it is being deleted): never part of a build.
     */
    private static boolean isBuildCopy(Path from, Path path) {
        for (Path p : from.relativize(path)) {
            if (p.toString().contains(".currents-build-")) {
                return true;
            }
        }
        return false;
    }

    /** Copies {@code from} into {@code to}, without {@code .git}, other builds' copies, ignored files and {@code skip}'s subtree. */
    private static void copy(Path from, Path to, SourceIgnore ignore, Path skip) {
        try {
            Files.walkFileTree(from, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    if (!dir.equals(from) && (dir.getFileName().toString().equals(".git") || isBuildCopy(from, dir)
                            || ignore.isIgnored(relative(from, dir), true))) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    if (dir.equals(skip)) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (isBuildCopy(from, file)) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (attrs.isRegularFile() && !ignore.isIgnored(relative(from, file), false)) {
                        Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.REPLACE_EXISTING);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new CliException("cannot copy " + from + " for the build: " + e.getMessage(), ExitCodes.FAILURE, e);
        }
    }

    private static String relative(Path from, Path path) {
        return from.relativize(path).toString().replace(java.io.File.separatorChar, '/');
    }

    /** Deletes a temporary directory tree, leaving what cannot be deleted. */
    public static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(files.toList());
            all.sort(Comparator.reverseOrder());
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a leftover temporary directory is harmless
        }
    }

}
