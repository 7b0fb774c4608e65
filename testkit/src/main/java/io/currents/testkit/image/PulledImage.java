package io.currents.testkit.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.currents.testkit.registry.OciRegistry;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An image pulled from a registry as a container runtime pulls it: the manifest, the config (entrypoint, environment,
 * user, labels) and the layer blobs, checked against their digests, and unpacked in order into a root directory.
 */
public final class PulledImage {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String reference;
    private final String digest;
    private final JsonNode config;
    private final List<String> layerDigests;
    private final List<Path> layers;
    private final long compressedSize;

    private PulledImage(String reference, String digest, JsonNode config, List<String> layerDigests, List<Path> layers,
                        long compressedSize) {
        this.reference = reference;
        this.digest = digest;
        this.config = config;
        this.layerDigests = layerDigests;
        this.layers = layers;
        this.compressedSize = compressedSize;
    }

    /** Pulls {@code repository:reference} (a tag or a digest) into {@code dir}, where the layer blobs are kept. */
    public static PulledImage pull(OciRegistry registry, String repository, String reference, Path dir) {
        return fetch(registry, repository, reference, dir);
    }

    /** The manifest and config of {@code repository:reference} only, without its layers (nothing to unpack). */
    public static PulledImage inspect(OciRegistry registry, String repository, String reference) {
        return fetch(registry, repository, reference, null);
    }

    private static PulledImage fetch(OciRegistry registry, String repository, String reference, Path dir) {
        try {
            OciRegistry.Manifest manifest = registry.manifest(repository, reference);
            if (manifest == null) {
                throw new IllegalStateException(registry.image(repository) + ":" + reference + " is not in the registry");
            }
            JsonNode m = JSON.readTree(manifest.body());
            JsonNode config = JSON.readTree(registry.blob(repository, m.path("config").path("digest").asText()));
            List<String> digests = new ArrayList<>();
            List<Path> layers = new ArrayList<>();
            long size = m.path("config").path("size").asLong();
            for (JsonNode layer : m.path("layers")) {
                String layerDigest = layer.path("digest").asText();
                digests.add(layerDigest);
                size += layer.path("size").asLong();
                if (dir != null) {
                    Files.createDirectories(dir);
                    layers.add(registry.downloadBlob(repository, layerDigest, dir.resolve(layerDigest.replace(':', '-') + ".tar.gz")));
                }
            }
            return new PulledImage(registry.image(repository) + ":" + reference, manifest.digest(), config, List.copyOf(digests),
                    dir == null ? null : List.copyOf(layers), size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String reference() {
        return reference;
    }

    /** The manifest digest ({@code sha256:…}). */
    public String digest() {
        return digest;
    }

    /** What a node downloads: the config and every layer, compressed, the base's included. */
    public long compressedSize() {
        return compressedSize;
    }

    /** The layers' digests, base first. */
    public List<String> layerDigests() {
        return layerDigests;
    }

    public List<String> entrypoint() {
        return strings(config.path("config").path("Entrypoint"));
    }

    public List<String> cmd() {
        return strings(config.path("config").path("Cmd"));
    }

    /** The process a runtime starts: the entrypoint followed by the command. */
    public List<String> command() {
        List<String> command = new ArrayList<>(entrypoint());
        command.addAll(cmd());
        return command;
    }

    /** The image's environment, in order. */
    public Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String entry : strings(config.path("config").path("Env"))) {
            int eq = entry.indexOf('=');
            env.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
        return env;
    }

    public String workingDir() {
        String dir = config.path("config").path("WorkingDir").asText("");
        return dir.isEmpty() ? "/" : dir;
    }

    /** The {@code User} of the config, as written ({@code 65534:65534}), or empty for root. */
    public String user() {
        return config.path("config").path("User").asText("");
    }

    public Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        config.path("config").path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }

    /** The creation time recorded in the config. */
    public String created() {
        return config.path("created").asText("");
    }

    /**
     * Unpacks the layers in order into {@code root}, applying whiteouts as a runtime does; entries that would land
     * outside {@code root} (through {@code ..} or a symbolic link) are refused.
     */
    public Path unpack(Path root) {
        if (layers == null) {
            throw new IllegalStateException(reference + " was inspected, not pulled: it has no layers to unpack");
        }
        try {
            Files.createDirectories(root);
            Path realRoot = root.toRealPath();
            for (Path layer : layers) {
                try (InputStream in = new GzipCompressorInputStream(new BufferedInputStream(Files.newInputStream(layer)));
                     TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
                    for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                        extract(realRoot, entry, tar);
                    }
                }
            }
            return realRoot;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + reference, e);
        }
    }

    private static void extract(Path root, TarArchiveEntry entry, InputStream content) throws IOException {
        String name = entry.getName().replaceFirst("^\\./", "").replaceFirst("^/+", "");
        if (name.isEmpty() || name.equals(".")) {
            return;
        }
        Path target = root.resolve(name).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
            throw new IOException("layer entry " + entry.getName() + " escapes the root");
        }
        Path parent = Files.createDirectories(target.getParent());
        if (!parent.toRealPath().startsWith(root)) {
            throw new IOException("layer entry " + entry.getName() + " is below a link that leaves the root");
        }
        String base = target.getFileName().toString();
        if (base.equals(".wh..wh..opq")) {
            try (var children = Files.list(parent)) {
                for (Path child : children.toList()) {
                    JavaBaseImage.deleteTree(child);
                }
            }
            return;
        }
        if (base.startsWith(".wh.")) {
            JavaBaseImage.deleteTree(parent.resolve(base.substring(4)));
            return;
        }
        if (entry.isDirectory()) {
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(target);
            }
            Files.createDirectories(target);
            Files.setPosixFilePermissions(target, permissions(entry.getMode()));
            return;
        }
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            JavaBaseImage.deleteTree(target);
        } else {
            Files.deleteIfExists(target);
        }
        if (entry.isSymbolicLink()) {
            Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
        } else if (entry.isLink()) {
            Path linked = root.resolve(entry.getLinkName().replaceFirst("^\\./", "").replaceFirst("^/+", "")).normalize();
            if (!linked.startsWith(root)) {
                throw new IOException("hard link " + entry.getName() + " points outside the root");
            }
            Files.createLink(target, linked);
        } else if (entry.isFile()) {
            Files.copy(content, target, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(target, permissions(entry.getMode()));
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] all = PosixFilePermission.values();
        for (int i = 0; i < all.length; i++) {
            if ((mode & (1 << (8 - i))) != 0) {
                set.add(all[i]);
            }
        }
        return set;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
