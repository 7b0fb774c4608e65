package io.currents.git;

import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevTag;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reconstructs the bytes Git signed for a commit or tag: a commit without its {@code gpgsig}
 * header (and that header's continuation lines), a tag without the trailing signature block.
 */
final class SignedPayload {

    private static final byte[][] SIGNATURE_STARTS = {
            "-----BEGIN PGP SIGNATURE-----".getBytes(StandardCharsets.US_ASCII),
            "-----BEGIN PGP MESSAGE-----".getBytes(StandardCharsets.US_ASCII),
            "-----BEGIN SSH SIGNATURE-----".getBytes(StandardCharsets.US_ASCII),
            "-----BEGIN SIGNED MESSAGE-----".getBytes(StandardCharsets.US_ASCII),
    };

    private SignedPayload() {
    }

    static byte[] of(RevCommit commit) {
        byte[] raw = commit.getRawBuffer();
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
        int pos = 0;
        boolean inSignature = false;
        boolean inHeaders = true;
        while (pos < raw.length) {
            int end = lineEnd(raw, pos);
            if (inHeaders) {
                boolean continuation = raw[pos] == ' ';
                if (end == pos + 1 && raw[pos] == '\n') {
                    inHeaders = false;
                    inSignature = false;
                } else if (!continuation) {
                    inSignature = startsWith(raw, pos, "gpgsig ") || startsWith(raw, pos, "gpgsig-sha256 ");
                }
                if (!inSignature || !inHeaders) {
                    out.write(raw, pos, end - pos);
                }
            } else {
                out.write(raw, pos, end - pos);
            }
            pos = end;
        }
        return out.toByteArray();
    }

    static byte[] of(RevTag tag) {
        byte[] raw = tag.getRawBuffer();
        // like git, the last line that opens a signature block starts the signature
        int signatureStart = raw.length;
        int pos = 0;
        while (pos < raw.length) {
            for (byte[] start : SIGNATURE_STARTS) {
                if (startsWith(raw, pos, start)) {
                    signatureStart = pos;
                }
            }
            pos = lineEnd(raw, pos);
        }
        byte[] payload = new byte[signatureStart];
        System.arraycopy(raw, 0, payload, 0, signatureStart);
        return payload;
    }

    private static int lineEnd(byte[] raw, int pos) {
        int i = pos;
        while (i < raw.length && raw[i] != '\n') {
            i++;
        }
        return Math.min(i + 1, raw.length);
    }

    private static boolean startsWith(byte[] raw, int pos, String prefix) {
        return startsWith(raw, pos, prefix.getBytes(StandardCharsets.US_ASCII));
    }

    private static boolean startsWith(byte[] raw, int pos, byte[] prefix) {
        if (pos + prefix.length > raw.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (raw[pos + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
