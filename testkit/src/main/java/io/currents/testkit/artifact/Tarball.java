package io.currents.testkit.artifact;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Writes the tar.gz artifacts source-controller serves, from a map of files or a directory: plain ustar
 * entries in name order with fixed times, so the same files always give the same digest.
 */
public final class Tarball {

    private static final int BLOCK = 512;

    private Tarball() {
    }

    /** A tar.gz of the given files, keyed by relative path ({@code apps/deploy.yaml}). */
    public static byte[] of(Map<String, String> files) {
        Map<String, byte[]> bytes = new TreeMap<>();
        files.forEach((name, content) -> bytes.put(name, content.getBytes(StandardCharsets.UTF_8)));
        return ofBytes(bytes);
    }

    /** A tar.gz of the given binary files, keyed by relative path. */
    public static byte[] ofBytes(Map<String, byte[]> files) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(buffer)) {
            for (Map.Entry<String, byte[]> file : new TreeMap<>(files).entrySet()) {
                writeEntry(gzip, file.getKey(), file.getValue(), '0', null);
            }
            gzip.write(new byte[BLOCK * 2]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    /** A tar.gz of every regular file below {@code dir}. */
    public static byte[] ofDirectory(Path dir) {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ofBytes(files);
    }

    /** A tar.gz with one symbolic link entry, for tests of unsafe archives. */
    public static byte[] withSymlink(String name, String target) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(buffer)) {
            writeEntry(gzip, name, new byte[0], '2', target);
            gzip.write(new byte[BLOCK * 2]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    private static void writeEntry(OutputStream out, String name, byte[] content, char type, String link) throws IOException {
        byte[] header = new byte[BLOCK];
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length > 100) {
            throw new IllegalArgumentException("name longer than 100 bytes: " + name);
        }
        System.arraycopy(nameBytes, 0, header, 0, nameBytes.length);
        octal(header, 100, 8, 0644);
        octal(header, 108, 8, 0);
        octal(header, 116, 8, 0);
        octal(header, 124, 12, content.length);
        octal(header, 136, 12, 0);
        header[156] = (byte) type;
        if (link != null) {
            byte[] linkBytes = link.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(linkBytes, 0, header, 157, Math.min(100, linkBytes.length));
        }
        byte[] magic = "ustar\u000000".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(magic, 0, header, 257, magic.length);
        // The checksum is computed with its own field filled with spaces.
        for (int i = 148; i < 156; i++) {
            header[i] = ' ';
        }
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        octal(header, 148, 7, sum);
        out.write(header);
        out.write(content);
        int pad = (BLOCK - content.length % BLOCK) % BLOCK;
        out.write(new byte[pad]);
    }

    private static void octal(byte[] header, int offset, int length, long value) {
        String digits = Long.toOctalString(value);
        String padded = "0".repeat(Math.max(0, length - 1 - digits.length())) + digits;
        byte[] bytes = padded.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
        header[offset + length - 1] = 0;
    }
}
