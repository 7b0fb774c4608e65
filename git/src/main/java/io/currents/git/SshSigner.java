package io.currents.git;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.eclipse.jgit.lib.GpgConfig;
import org.eclipse.jgit.lib.GpgSignature;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.Signer;
import org.eclipse.jgit.transport.CredentialsProvider;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.interfaces.RSAKey;
import java.util.Base64;

/**
 * Signs commits with an SSH private key held in memory, in OpenSSH's {@code SSHSIG} format with
 * Git's {@code git} namespace and SHA-512, as {@code git commit -S} does with {@code gpg.format=ssh}.
 */
final class SshSigner implements Signer {

    private static final byte[] MAGIC = "SSHSIG".getBytes(StandardCharsets.US_ASCII);
    private static final String NAMESPACE = "git";
    private static final String HASH = "sha512";

    private final KeyPair key;
    private final String algorithm;

    private SshSigner(KeyPair key, String algorithm) {
        this.key = key;
        this.algorithm = algorithm;
    }

    /**
     * @param secret names the Secret in messages
     * @throws GitException {@code GitOperationFailed} when the key cannot be read, is protected and
     *                      the passphrase is missing or wrong, or is an RSA key under 2048 bits
     */
    static SshSigner of(byte[] privateKey, String passphrase, String secret) throws GitException {
        KeyPair key;
        try {
            key = SshKeys.load(privateKey, passphrase).get(0);
        } catch (GitException e) {
            throw new GitException(GitException.GIT_OPERATION_FAILED, (passphrase == null || passphrase.isEmpty()
                    ? "could not parse SSH signing key from " + secret + " (if it is passphrase protected, put the passphrase in its 'password' field)"
                    : "could not parse SSH signing key from " + secret + " (wrong passphrase or unsupported format)"));
        }
        String type = KeyUtils.getKeyType(key);
        if (key.getPublic() instanceof RSAKey rsa && rsa.getModulus().bitLength() < 2048) {
            throw new GitException(GitException.GIT_OPERATION_FAILED, "the RSA signing key in " + secret
                    + " has " + rsa.getModulus().bitLength() + " bits; at least 2048 are needed");
        }
        String algorithm = KeyUtils.RSA_SHA512_KEY_TYPE_ALIAS.equals(type) || KeyUtils.RSA_ALGORITHM.equals(key.getPublic().getAlgorithm())
                ? KeyUtils.RSA_SHA512_KEY_TYPE_ALIAS : type;
        if (BuiltinSignatures.fromFactoryName(algorithm) == null) {
            throw new GitException(GitException.GIT_OPERATION_FAILED, "the SSH key type '" + type + "' in " + secret
                    + " cannot sign commits");
        }
        return new SshSigner(key, algorithm);
    }

    @Override
    public GpgSignature sign(Repository repository, GpgConfig config, byte[] data, PersonIdent committer, String signingKey,
                             CredentialsProvider credentialsProvider) throws IOException {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-512").digest(data);
            Buffer signed = new ByteArrayBuffer();
            signed.putRawBytes(MAGIC);
            signed.putString(NAMESPACE);
            signed.putString("");
            signed.putString(HASH);
            signed.putBytes(hash);

            Signature signer = BuiltinSignatures.fromFactoryName(algorithm).create();
            signer.initSigner(null, key.getPrivate());
            signer.update(null, signed.getCompactData());
            Buffer signature = new ByteArrayBuffer();
            signature.putString(algorithm);
            signature.putBytes(signer.sign(null));

            Buffer blob = new ByteArrayBuffer();
            blob.putRawBytes(MAGIC);
            blob.putUInt(1);
            blob.putPublicKey(key.getPublic());
            blob.putString(NAMESPACE);
            blob.putString("");
            blob.putString(HASH);
            blob.putBytes(signature.getCompactData());
            String base64 = Base64.getMimeEncoder(70, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(blob.getCompactData());
            String armored = "-----BEGIN SSH SIGNATURE-----\n" + base64 + "\n-----END SSH SIGNATURE-----\n";
            return new GpgSignature(armored.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IOException("signing the commit failed: " + e.getClass().getSimpleName(), e);
        } catch (Exception e) {
            if (e instanceof IOException io) {
                throw io;
            }
            throw new IOException("signing the commit failed: " + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public boolean canLocateSigningKey(Repository repository, GpgConfig config, PersonIdent committer, String signingKey,
                                       CredentialsProvider credentialsProvider) {
        return true;
    }
}
