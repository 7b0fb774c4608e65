package io.currents.runtime.artifact;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A stream that fails once more than a given number of bytes have been read through it: put after a decompressor,
 * it bounds what a few kilobytes of gzip may expand to (a decompression bomb), wherever the bytes go next.
 */
public final class LimitedInputStream extends FilterInputStream {

    /** Thrown when the limit is passed; the message says what was being read. */
    public static final class LimitExceededException extends IOException {
        public LimitExceededException(String message) {
            super(message);
        }
    }

    private final long limit;
    private final String what;
    private long count;

    /**
     * @param what what is being read, for the message: "<what> expands to more than <limit> bytes"
     */
    public LimitedInputStream(InputStream in, long limit, String what) {
        super(in);
        this.limit = limit;
        this.what = what;
    }

    /** The bytes read so far. */
    public long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            add(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            add(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // read rather than skip, so skipped bytes count too
        byte[] buffer = new byte[(int) Math.min(8192, Math.max(1, n))];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void add(long n) throws LimitExceededException {
        count += n;
        if (count > limit) {
            throw new LimitExceededException(what + " expands to more than " + limit + " bytes");
        }
    }
}
