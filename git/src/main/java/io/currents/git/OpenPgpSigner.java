package io.currents.git;

import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.SecretKeyPacket;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePBESecretKeyDecryptorBuilder;
import org.eclipse.jgit.lib.GpgConfig;
import org.eclipse.jgit.lib.GpgSignature;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.Signer;
import org.eclipse.jgit.transport.CredentialsProvider;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Provider;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Signs commits with one OpenPGP secret key held in memory (an armored key from a Secret, never a
 * keyring on disk): a detached signature over the commit, as {@code git commit -S} writes it.
 * When the key has a signing subkey, that subkey signs.
 */
final class OpenPgpSigner implements Signer {

    private static final Provider BC = new BouncyCastleProvider();

    private final PGPPrivateKey privateKey;
    private final PGPPublicKey publicKey;

    private OpenPgpSigner(PGPPrivateKey privateKey, PGPPublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /**
     * @param secret names the Secret in messages
     * @throws GitException {@code GitOperationFailed} when the key cannot be read, holds several
     *                      entities, or its passphrase is missing or wrong
     */
    static OpenPgpSigner of(String armoredSecretKey, String passphrase, String secret) throws GitException {
        List<PGPSecretKeyRing> rings = new ArrayList<>();
        try {
            // concatenated armor blocks are several keys too: the decoder would only read the first
            for (String block : armoredSecretKey.split("(?=-----BEGIN PGP PRIVATE KEY BLOCK-----)")) {
                if (block.isBlank()) {
                    continue;
                }
                new PGPSecretKeyRingCollection(PGPUtil.getDecoderStream(new ByteArrayInputStream(
                        block.getBytes(StandardCharsets.US_ASCII))), new JcaKeyFingerprintCalculator()).forEach(rings::add);
            }
        } catch (IOException | PGPException | RuntimeException e) {
            throw failure("could not read signing key from " + secret + ": it is not an armored OpenPGP private key");
        }
        if (rings.size() != 1) {
            throw failure(rings.isEmpty() ? "could not read signing key from " + secret + ": it holds no OpenPGP private key"
                    : "multiple entities read from " + secret + ", could not determine which signing key to use");
        }
        PGPSecretKey key = signingKey(rings.get(0));
        boolean encrypted = key.getS2KUsage() != SecretKeyPacket.USAGE_NONE;
        if (encrypted && (passphrase == null || passphrase.isEmpty())) {
            throw failure("can not use passphrase protected signing key without 'passphrase' field present in " + secret);
        }
        try {
            PGPPrivateKey privateKey = key.extractPrivateKey(new JcePBESecretKeyDecryptorBuilder().setProvider(BC)
                    .build(encrypted ? passphrase.toCharArray() : new char[0]));
            if (privateKey == null) {
                throw failure("the signing key in " + secret + " has no private part");
            }
            return new OpenPgpSigner(privateKey, key.getPublicKey());
        } catch (PGPException e) {
            throw failure("could not decrypt private key of the signing key present in " + secret);
        }
    }

    /**
     * The signer for a key ring file (armored or binary, as {@code gpg --export-secret-keys} writes it), as flux's
     * {@code --gpg-key-ring}: the entity whose primary key id is {@code keyId} (16 hex digits, any case), or the first
     * entity when no id is given.
     */
    static OpenPgpSigner ofKeyRing(byte[] keyRing, String passphrase, String keyId, String source) throws GitException {
        List<PGPSecretKeyRing> rings = new ArrayList<>();
        String text = new String(keyRing, StandardCharsets.ISO_8859_1);
        // concatenated armor blocks (several exported keys) are read one by one; a binary key ring is one stream
        List<byte[]> blocks = text.contains("-----BEGIN PGP PRIVATE KEY BLOCK-----")
                ? java.util.Arrays.stream(text.split("(?=-----BEGIN PGP PRIVATE KEY BLOCK-----)")).filter(b -> !b.isBlank())
                .map(b -> b.getBytes(StandardCharsets.ISO_8859_1)).toList()
                : List.of(keyRing);
        try {
            for (byte[] block : blocks) {
                new PGPSecretKeyRingCollection(PGPUtil.getDecoderStream(new ByteArrayInputStream(block)),
                        new JcaKeyFingerprintCalculator()).forEach(rings::add);
            }
        } catch (IOException | PGPException | RuntimeException e) {
            throw failure("could not read the OpenPGP key ring " + source + ": it holds no secret keys in a readable form");
        }
        if (rings.isEmpty()) {
            throw failure("the OpenPGP key ring " + source + " holds no secret key");
        }
        PGPSecretKeyRing ring = rings.get(0);
        if (keyId != null && !keyId.isBlank()) {
            ring = rings.stream().filter(r -> OpenPgpKeys.hex(r.getSecretKey().getKeyID()).equalsIgnoreCase(keyId.trim()))
                    .findFirst().orElseThrow(() -> failure("no key with id " + keyId + " in the OpenPGP key ring " + source));
        }
        PGPSecretKey key = signingKey(ring);
        boolean encrypted = key.getS2KUsage() != SecretKeyPacket.USAGE_NONE;
        if (encrypted && (passphrase == null || passphrase.isEmpty())) {
            throw failure("the OpenPGP key " + OpenPgpKeys.hex(ring.getSecretKey().getKeyID()) + " is protected by a passphrase: pass it with --gpg-passphrase");
        }
        try {
            PGPPrivateKey privateKey = key.extractPrivateKey(new JcePBESecretKeyDecryptorBuilder().setProvider(BC)
                    .build(encrypted ? passphrase.toCharArray() : new char[0]));
            if (privateKey == null) {
                throw failure("the OpenPGP key in " + source + " has no private part");
            }
            return new OpenPgpSigner(privateKey, key.getPublicKey());
        } catch (PGPException e) {
            throw failure("could not decrypt the OpenPGP key in " + source + ": wrong passphrase");
        }
    }

    /** A subkey flagged for signing, else the primary key. */
    private static PGPSecretKey signingKey(PGPSecretKeyRing ring) {
        List<PGPSecretKey> subkeys = new ArrayList<>();
        for (Iterator<PGPSecretKey> keys = ring.getSecretKeys(); keys.hasNext(); ) {
            PGPSecretKey key = keys.next();
            if (!key.isMasterKey() && key.isSigningKey() && canSign(key.getPublicKey())) {
                subkeys.add(key);
            }
        }
        return subkeys.isEmpty() ? ring.getSecretKey() : subkeys.get(subkeys.size() - 1);
    }

    private static boolean canSign(PGPPublicKey key) {
        for (Iterator<PGPSignature> signatures = key.getSignatures(); signatures.hasNext(); ) {
            PGPSignature signature = signatures.next();
            if (signature.getHashedSubPackets() != null
                    && (signature.getHashedSubPackets().getKeyFlags() & KeyFlags.SIGN_DATA) != 0) {
                return true;
            }
        }
        return false;
    }

    /** The 16-digit key id of the key that signs. */
    String keyId() {
        return OpenPgpKeys.hex(publicKey.getKeyID());
    }

    @Override
    public GpgSignature sign(Repository repository, GpgConfig config, byte[] data, PersonIdent committer, String signingKey,
                             CredentialsProvider credentialsProvider) throws IOException {
        try {
            PGPSignatureGenerator generator = new PGPSignatureGenerator(
                    new JcaPGPContentSignerBuilder(publicKey.getAlgorithm(), HashAlgorithmTags.SHA512).setProvider(BC), publicKey);
            generator.init(PGPSignature.BINARY_DOCUMENT, privateKey);
            generator.update(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ArmoredOutputStream armored = ArmoredOutputStream.builder().clearHeaders().build(out)) {
                generator.generate().encode(armored);
            }
            return new GpgSignature(out.toByteArray());
        } catch (PGPException e) {
            throw new IOException("signing the commit failed: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean canLocateSigningKey(Repository repository, GpgConfig config, PersonIdent committer, String signingKey,
                                       CredentialsProvider credentialsProvider) {
        return true;
    }

    private static GitException failure(String message) {
        return new GitException(GitException.GIT_OPERATION_FAILED, message);
    }
}
