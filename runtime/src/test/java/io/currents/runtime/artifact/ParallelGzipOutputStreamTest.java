package io.currents.runtime.artifact;

import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pigz-style gzip writer: one valid gzip stream, the same bytes for the same input, whatever the threads. */
class ParallelGzipOutputStreamTest {

    private static final int BLOCK = ParallelGzipOutputStream.BLOCK_SIZE;

    @Test
    void decompressesToTheInputWithTheJdkAndCommonsCompressReaders() throws IOException {
        for (int size : new int[] {0, 1, 100, BLOCK - 1, BLOCK, BLOCK + 1, 3 * BLOCK, 5 * BLOCK + 12345}) {
            byte[] input = manifests(size, size);
            byte[] gz = compress(input, 4, 8192);

            assertThat(new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes()).as("JDK, %d bytes", size).isEqualTo(input);
            assertThat(new GzipCompressorInputStream(new ByteArrayInputStream(gz)).readAllBytes()).as("commons, %d bytes", size)
                    .isEqualTo(input);
        }
    }

    @Test
    void sameInputGivesTheSameBytesWhateverTheThreadsOrTheWriteSizes() throws IOException {
        byte[] input = manifests(7 * BLOCK + 999, 7);
        byte[] reference = compress(input, 1, input.length);

        assertThat(compress(input, 2, 1)).isEqualTo(reference);
        assertThat(compress(input, 3, 511)).isEqualTo(reference);
        assertThat(compress(input, 8, BLOCK)).isEqualTo(reference);
        assertThat(compress(input, 16, 100_000)).isEqualTo(reference);
        // and on a pool of another size, which only changes who compresses a block
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ParallelGzipOutputStream gz = new ParallelGzipOutputStream(out, Deflater.DEFAULT_COMPRESSION, 3, pool)) {
                gz.write(input);
            }
            assertThat(out.toByteArray()).isEqualTo(reference);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void headerHasNoNameAndNoTimeAndTheTrailerTheCrcAndSize() throws IOException {
        byte[] input = manifests(2 * BLOCK + 10, 3);
        byte[] gz = compress(input, 2, 4096);

        assertThat(java.util.Arrays.copyOf(gz, 10)).containsExactly(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(input);
        int n = gz.length;
        long storedCrc = (gz[n - 8] & 0xffL) | (gz[n - 7] & 0xffL) << 8 | (gz[n - 6] & 0xffL) << 16 | (gz[n - 5] & 0xffL) << 24;
        long storedSize = (gz[n - 4] & 0xffL) | (gz[n - 3] & 0xffL) << 8 | (gz[n - 2] & 0xffL) << 16 | (gz[n - 1] & 0xffL) << 24;
        assertThat(storedCrc).isEqualTo(crc.getValue());
        assertThat(storedSize).isEqualTo(input.length);
    }

    @Test
    void compressesAsWellAsOneDeflaterAtTheSameLevel() throws IOException {
        // each block keeps the previous 32 KiB as its dictionary: the cost of the cuts is a few bytes per block
        byte[] input = manifests(40 * BLOCK, 11);
        ByteArrayOutputStream single = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(single)) {
            gz.write(input);
        }
        byte[] parallel = compress(input, 2, 65536);

        assertThat((double) parallel.length).isLessThan(single.size() * 1.005);
        assertThat(parallel.length).isLessThan(input.length / 2);
    }

    @Test
    void finishLeavesTheStreamOpenCloseClosesItAndWritingAfterwardsFails() throws IOException {
        boolean[] closed = {false};
        ByteArrayOutputStream sink = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        ParallelGzipOutputStream gz = new ParallelGzipOutputStream(sink, Deflater.DEFAULT_COMPRESSION, 2);
        gz.write("hello".getBytes(StandardCharsets.UTF_8));
        gz.finish();
        assertThat(closed[0]).isFalse();
        assertThat(new GZIPInputStream(new ByteArrayInputStream(sink.toByteArray())).readAllBytes()).asString(StandardCharsets.UTF_8)
                .isEqualTo("hello");
        assertThatThrownBy(() -> gz.write(1)).isInstanceOf(IOException.class);
        gz.close();
        assertThat(closed[0]).isTrue();
    }

    @Test
    void aFailingTargetFailsTheWriter() throws IOException {
        OutputStream broken = new OutputStream() {
            int written;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                written += len;
                if (written > 100) {
                    throw new IOException("disk full");
                }
            }
        };
        ParallelGzipOutputStream gz = new ParallelGzipOutputStream(broken, Deflater.DEFAULT_COMPRESSION, 2);
        assertThatThrownBy(() -> {
            gz.write(manifests(6 * BLOCK, 5));
            gz.finish();
        }).isInstanceOf(IOException.class).hasMessage("disk full");
    }

    private static byte[] compress(byte[] input, int threads, int chunk) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ParallelGzipOutputStream gz = new ParallelGzipOutputStream(out, Deflater.DEFAULT_COMPRESSION, threads)) {
            for (int off = 0; off < input.length; off += chunk) {
                gz.write(input, off, Math.min(chunk, input.length - off));
            }
        }
        return out.toByteArray();
    }

    /** Text that compresses like YAML manifests: repeated keys, varying values. */
    private static byte[] manifests(int size, long seed) {
        Random random = new Random(seed);
        String[] words = {"apiVersion", "kind", "metadata", "name", "spec", "replicas", "image", "containerPort"};
        StringBuilder text = new StringBuilder(size + 64);
        while (text.length() < size) {
            text.append("  ".repeat(random.nextInt(4))).append(words[random.nextInt(words.length)]).append(": ")
                    .append(Long.toHexString(random.nextLong() >>> random.nextInt(48))).append('\n');
        }
        return text.substring(0, size).getBytes(StandardCharsets.US_ASCII);
    }
}
