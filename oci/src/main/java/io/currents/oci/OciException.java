package io.currents.oci;

import java.io.IOException;

/** A failed registry operation; {@link #kind()} says what went wrong, the message never holds a credential. */
public final class OciException extends IOException {

    /** What failed, for callers that map failures to reasons. */
    public enum Kind {
        /** The reference or URL is malformed: only a spec change fixes it. */
        INVALID_REFERENCE,
        /** The registry refused the credentials (or there were none). */
        AUTHENTICATION,
        /** The manifest, tag or blob does not exist. */
        NOT_FOUND,
        /** Content did not match its digest or declared size, or exceeded a limit. */
        INTEGRITY,
        /** The content is not what was asked for (media type, JSON shape). */
        UNSUPPORTED,
        /** The registry could not be reached or answered an unexpected status. */
        TRANSPORT
    }

    private final Kind kind;

    public OciException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public OciException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
