package io.currents.source.bucket;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The objects of a bucket that go into an artifact, by key, each with its ETag; its digest is the Bucket's revision,
 * computed as Flux does: sha256 over {@code "<key> <etag>\n"} for every key in byte order of the keys.
 */
public final class BucketIndex {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TreeMap<String, String> etags = new TreeMap<>();

    public void add(String key, String etag) {
        etags.put(key, etag == null ? "" : etag);
    }

    public void remove(String key) {
        etags.remove(key);
    }

    public Map<String, String> entries() {
        return Collections.unmodifiableMap(etags);
    }

    public int size() {
        return etags.size();
    }

    public String etag(String key) {
        return etags.get(key);
    }

    /** Flux's revision of this index: {@code sha256:<hex>}. */
    public String revision() {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        // Go sorts strings by bytes, Java's TreeMap by UTF-16 units: the orders differ only for characters
        // outside the BMP against U+E000..U+FFFF, so sort by UTF-8 bytes to be exact.
        etags.keySet().stream().sorted(BucketIndex::compareUtf8).forEach(key ->
                sha256.update((key + " " + etags.get(key) + "\n").getBytes(StandardCharsets.UTF_8)));
        return "sha256:" + java.util.HexFormat.of().formatHex(sha256.digest());
    }

    private static int compareUtf8(String a, String b) {
        return java.util.Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes the index as JSON (keys may hold any character, so no line format). */
    public void save(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling(file.getFileName() + ".part");
        JSON.writeValue(temp.toFile(), etags);
        Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The index saved at {@code file}, or an empty one when there is none or it cannot be read. */
    public static BucketIndex load(Path file) {
        BucketIndex index = new BucketIndex();
        if (!Files.isRegularFile(file)) {
            return index;
        }
        try {
            Map<String, String> read = JSON.readValue(file.toFile(), new TypeReference<Map<String, String>>() { });
            read.forEach(index::add);
        } catch (IOException e) {
            return new BucketIndex();
        }
        return index;
    }
}
