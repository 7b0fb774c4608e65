package io.currents.source.bucket;

import java.nio.file.Path;

/** One bucket of an object storage service, as the Bucket reconciler needs it: existence, listing, download. */
public interface ObjectStore extends AutoCloseable {

    /** Receives each listed object. */
    @FunctionalInterface
    interface ObjectVisitor {
        void visit(String key, String etag, long size) throws BucketException;
    }

    boolean bucketExists() throws BucketException;

    /** Lists every object under {@code prefix} (all pages), in the service's order. */
    void list(String prefix, ObjectVisitor visitor) throws BucketException;

    /**
     * Downloads {@code key} to {@code target}; false when there is no such object. More than {@code maxBytes} is refused
     * and the partial file removed.
     */
    boolean download(String key, Path target, long maxBytes) throws BucketException;

    @Override
    void close();
}
