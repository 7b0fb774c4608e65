package io.currents.image;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The scanned tags of each image (by canonical name), Flux's tag database: kept in memory and
 * written to one file per image under {@code storage-path}, so a restarted controller has them at
 * once; a missing or unreadable file only means the next reconcile rescans.
 */
@ApplicationScoped
public class TagStore {

    private static final Logger LOG = Logger.getLogger(TagStore.class);

    @ConfigProperty(name = "storage-path")
    Optional<String> storagePath;

    private final Map<String, List<String>> tags = new ConcurrentHashMap<>();

    /** The tags last stored for the image, or empty when it was never scanned (or the scan was lost). */
    public List<String> tags(String canonicalName) {
        if (canonicalName == null) {
            return List.of();
        }
        return tags.computeIfAbsent(canonicalName, this::load);
    }

    public void store(String canonicalName, List<String> list) {
        List<String> copy = List.copyOf(list);
        tags.put(canonicalName, copy);
        Path file = file(canonicalName);
        if (file == null) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), ".tags", ".tmp");
            Files.writeString(tmp, canonicalName + "\n" + String.join("\n", copy), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.warnf("could not write the tags of %s under %s: %s (they stay in memory)", canonicalName, file.getParent(), e.getMessage());
        }
    }

    private List<String> load(String canonicalName) {
        Path file = file(canonicalName);
        if (file == null || !Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty() || !lines.get(0).equals(canonicalName)) {
                return List.of();
            }
            return List.copyOf(lines.subList(1, lines.size()).stream().filter(l -> !l.isEmpty()).toList());
        } catch (IOException e) {
            LOG.warnf("could not read the stored tags of %s: %s; the next scan refreshes them", canonicalName, e.getMessage());
            return List.of();
        }
    }

    private Path file(String canonicalName) {
        if (storagePath.isEmpty() || storagePath.get().isBlank()) {
            return null;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonicalName.getBytes(StandardCharsets.UTF_8));
            return Path.of(storagePath.get(), "tags", HexFormat.of().formatHex(hash));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
