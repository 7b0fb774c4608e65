package io.currents.oci;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** sha256 digests in OCI's {@code sha256:<hex>} form. */
public final class Digests {

    private Digests() {
    }

    public static String sha256(byte[] content) {
        return "sha256:" + HexFormat.of().formatHex(newSha256().digest(content));
    }

    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String format(MessageDigest sha256) {
        return "sha256:" + HexFormat.of().formatHex(sha256.digest());
    }
}
