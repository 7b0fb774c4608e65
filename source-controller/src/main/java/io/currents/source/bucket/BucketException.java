package io.currents.source.bucket;

/** A failed bucket operation; the message names the bucket or object and never carries a credential. */
public class BucketException extends Exception {

    public BucketException(String message) {
        super(message);
    }

    public BucketException(String message, Throwable cause) {
        super(message, cause);
    }
}
