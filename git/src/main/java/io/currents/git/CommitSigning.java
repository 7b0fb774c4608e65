package io.currents.git;

import org.eclipse.jgit.lib.Signer;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The commit signing keys of image-automation's {@code spec.git.commit.signingKey}, read from its
 * Secret: {@code type: gpg} (the default) takes an armored OpenPGP private key in {@code git.asc}
 * with an optional {@code passphrase}; {@code type: ssh} an SSH private key in {@code identity}
 * with an optional {@code password}, the layout of a GitRepository's SSH Secret.
 */
public final class CommitSigning {

    public static final String GPG_KEY = "git.asc";
    public static final String GPG_PASSPHRASE = "passphrase";

    private CommitSigning() {
    }

    /**
     * The signer a signing-key Secret describes.
     *
     * @param type {@code gpg}, {@code ssh}, or null for {@code gpg}
     * @param secret names the Secret in messages, e.g. {@code "secret 'signing-key'"}
     * @throws GitException {@code GitOperationFailed} naming what is missing or unreadable
     */
    public static Signer fromSecret(String type, Map<String, String> data, String secret) throws GitException {
        if (type == null || type.isEmpty() || type.equals("gpg")) {
            if (!data.containsKey(GPG_KEY)) {
                throw new GitException(GitException.GIT_OPERATION_FAILED, "signing key " + secret + " does not contain a '" + GPG_KEY + "' key");
            }
            return OpenPgpSigner.of(data.get(GPG_KEY), data.get(GPG_PASSPHRASE), secret);
        }
        if (type.equals("ssh")) {
            if (!data.containsKey(GitSecret.IDENTITY)) {
                throw new GitException(GitException.GIT_OPERATION_FAILED, "signing key " + secret + " does not contain an '"
                        + GitSecret.IDENTITY + "' key");
            }
            return SshSigner.of(data.get(GitSecret.IDENTITY).getBytes(StandardCharsets.UTF_8), data.get(GitSecret.PASSWORD), secret);
        }
        throw new GitException(GitException.GIT_OPERATION_FAILED, "unknown signing key type '" + type + "': use gpg or ssh");
    }

    /**
     * The signer for an OpenPGP key ring file's bytes (armored or binary): the key {@code keyId}, or the first.
     *
     * @param source names the file in messages
     */
    public static Signer fromKeyRing(byte[] keyRing, String passphrase, String keyId, String source) throws GitException {
        return OpenPgpSigner.ofKeyRing(keyRing, passphrase, keyId, source);
    }
}
