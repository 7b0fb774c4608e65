package io.currents.runtime.artifact;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * One gzip stream (RFC 1952) whose deflate data is compressed on several threads, the way pigz does it: the input
 * is cut into fixed blocks of {@value #BLOCK_SIZE} bytes, each block is deflated on its own with the previous 32 KiB
 * of input as its dictionary and ends on a byte boundary (a sync flush), the last one with the final block, and the
 * pieces are written in order. Any gzip reader reads it as one member.
 * <p>
 * The output depends only on the bytes written and the level, never on thread timing or on how the caller splits
 * its writes: block boundaries are fixed input offsets and each block's dictionary is the input before it. The
 * header carries no name and modification time 0, so the same input always gives the same bytes. With the default
 * level the artifact is within a fraction of a percent of a single-threaded gzip's size.
 * <p>
 * {@link #close()} finishes the stream and closes the underlying one; {@link #finish()} finishes without closing.
 */
public final class ParallelGzipOutputStream extends OutputStream {

    /** The uncompressed bytes each thread deflates at a time (pigz's default). */
    static final int BLOCK_SIZE = 128 * 1024;
    private static final int DICTIONARY_SIZE = 32 * 1024;
    private static final byte[] HEADER = {
            0x1f, (byte) 0x8b, // magic
            8,                 // deflate
            0,                 // no flags: no name, comment or extra field
            0, 0, 0, 0,        // modification time 0
            0,                 // extra flags
            (byte) 255         // operating system: unknown (as Go's gzip writer)
    };

    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();
    /**
     * One pool for every stream of the process, as many threads as processors, each ended after 30 s idle: concurrent
     * reconciles share the processors instead of each starting threads of its own.
     */
    private static final ExecutorService SHARED = sharedPool();

    private final OutputStream out;
    private final int level;
    private final int maxInFlight;
    private final ExecutorService executor;
    private final CRC32 crc = new CRC32();
    private final Deque<Future<byte[]>> pending = new ArrayDeque<>();
    private byte[] block = new byte[BLOCK_SIZE];
    private int filled;
    private byte[] dictionary;
    private long total;
    private boolean finished;
    private boolean closed;

    /** Compresses at {@code level} on up to {@code threads} threads at once (at least one), writing to {@code out}. */
    public ParallelGzipOutputStream(OutputStream out, int level, int threads) throws IOException {
        this(out, level, threads, SHARED);
    }

    /** The default level, on as many threads as the JVM has processors. */
    public ParallelGzipOutputStream(OutputStream out) throws IOException {
        this(out, Deflater.DEFAULT_COMPRESSION, Runtime.getRuntime().availableProcessors());
    }

    ParallelGzipOutputStream(OutputStream out, int level, int threads, ExecutorService executor) throws IOException {
        this.out = out;
        this.level = level;
        // while the caller fills the next block, every thread has one to deflate and one waits its turn
        this.maxInFlight = Math.max(1, threads) + 1;
        this.executor = executor;
        out.write(HEADER);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (finished) {
            throw new IOException("the gzip stream is already finished");
        }
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        crc.update(b, off, len);
        total += len;
        while (len > 0) {
            int n = Math.min(len, BLOCK_SIZE - filled);
            System.arraycopy(b, off, block, filled, n);
            filled += n;
            off += n;
            len -= n;
            if (filled == BLOCK_SIZE) {
                submit(false);
            }
        }
    }

    /** Writes out everything compressed so far, compressing nothing early: the output stays the same. */
    @Override
    public void flush() throws IOException {
        drain(0);
        out.flush();
    }

    /** Compresses what is left, writes the trailer and flushes the underlying stream, leaving it open. */
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        submit(true);
        finished = true;
        drain(0);
        byte[] trailer = new byte[8];
        int crcValue = (int) crc.getValue();
        int size = (int) total;
        for (int i = 0; i < 4; i++) {
            trailer[i] = (byte) (crcValue >>> (8 * i));
            trailer[4 + i] = (byte) (size >>> (8 * i));
        }
        out.write(trailer);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            finish();
        } finally {
            for (Future<byte[]> f : pending) {
                f.cancel(true);
            }
            pending.clear();
            out.close();
        }
    }

    private void submit(boolean last) throws IOException {
        byte[] input = filled == BLOCK_SIZE ? block : Arrays.copyOf(block, filled);
        byte[] dict = dictionary;
        int length = filled;
        pending.add(executor.submit(() -> deflate(input, length, dict, last, level)));
        if (!last) {
            dictionary = Arrays.copyOfRange(block, BLOCK_SIZE - DICTIONARY_SIZE, BLOCK_SIZE);
            block = new byte[BLOCK_SIZE];
            filled = 0;
        }
        drain(maxInFlight);
    }

    /** Writes completed blocks in order until at most {@code keep} are still outstanding. */
    private void drain(int keep) throws IOException {
        while (pending.size() > keep || (!pending.isEmpty() && pending.peek().isDone())) {
            Future<byte[]> next = pending.poll();
            try {
                out.write(next.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while compressing");
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException("compression failed", e.getCause());
            }
        }
    }

    private static ExecutorService sharedPool() {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "gzip-deflate-" + THREAD_NUMBER.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** Raw deflate of one block: byte-aligned and open (sync flush), or the end of the stream. */
    static byte[] deflate(byte[] input, int length, byte[] dictionary, boolean last, int level) {
        Deflater deflater = new Deflater(level, true);
        try {
            if (dictionary != null) {
                deflater.setDictionary(dictionary);
            }
            deflater.setInput(input, 0, length);
            ByteArrayOutputStream compressed = new ByteArrayOutputStream(length / 2 + 64);
            byte[] buffer = new byte[64 * 1024];
            if (last) {
                deflater.finish();
                while (!deflater.finished()) {
                    int n = deflater.deflate(buffer);
                    compressed.write(buffer, 0, n);
                }
            } else {
                int n;
                do {
                    n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
                    compressed.write(buffer, 0, n);
                } while (n == buffer.length || !deflater.needsInput());
            }
            return compressed.toByteArray();
        } finally {
            deflater.end();
        }
    }
}
