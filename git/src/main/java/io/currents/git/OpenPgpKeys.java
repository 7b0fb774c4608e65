package io.currents.git;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.jcajce.JcaPGPObjectFactory;
import org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentVerifierBuilderProvider;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Provider;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The trusted OpenPGP public keys of a GitRepository's {@code verify.secretRef}, checking detached
 * signatures of commits and tags against them.
 */
final class OpenPgpKeys {

    // a private provider instance: no global Security.addProvider side effect
    private static final Provider BC = new BouncyCastleProvider();

    private final List<PGPPublicKeyRingCollection> keyRings = new ArrayList<>();

    OpenPgpKeys(List<String> armoredKeys) throws GitException {
        if (armoredKeys.isEmpty()) {
            throw new GitException(GitException.VERIFICATION_ERROR,
                    "signature verification is enabled but no OpenPGP public keys were given");
        }
        int index = 0;
        for (String armored : armoredKeys) {
            index++;
            try {
                keyRings.add(new PGPPublicKeyRingCollection(
                        PGPUtil.getDecoderStream(new ByteArrayInputStream(armored.getBytes(StandardCharsets.US_ASCII))),
                        new JcaKeyFingerprintCalculator()));
            } catch (IOException | PGPException | RuntimeException e) {
                throw new GitException(GitException.VERIFICATION_ERROR,
                        "public key #" + index + " is not a valid armored OpenPGP public key: " + e.getMessage());
            }
        }
    }

    /**
     * Verifies {@code signature} (armored, as stored in the Git object) over {@code payload} and
     * returns the key id of the trusted primary key that made it.
     *
     * @param what for messages, e.g. {@code commit 'abc…'}
     */
    String verify(String what, byte[] payload, byte[] signature) throws GitException {
        if (signature == null || signature.length == 0) {
            throw failure(what + " is not signed");
        }
        String text = new String(signature, StandardCharsets.US_ASCII);
        if (text.startsWith("-----BEGIN SSH SIGNATURE-----")) {
            throw failure(what + " has an SSH signature; only OpenPGP signatures can be verified");
        }
        PGPSignature pgpSignature = parse(what, signature);
        long keyId = pgpSignature.getKeyID();
        for (PGPPublicKeyRingCollection collection : keyRings) {
            PGPPublicKey key = collection.getPublicKey(keyId);
            PGPPublicKeyRing ring = collection.getPublicKeyRing(keyId);
            if (key == null || ring == null) {
                continue;
            }
            try {
                pgpSignature.init(new JcaPGPContentVerifierBuilderProvider().setProvider(BC), key);
                pgpSignature.update(payload);
                if (!pgpSignature.verify()) {
                    throw failure(what + " has an invalid signature by key " + hex(keyId)
                            + ": the signed content does not match");
                }
            } catch (PGPException e) {
                throw failure("cannot verify the signature of " + what + ": " + e.getMessage());
            }
            return hex(ring.getPublicKey().getKeyID());
        }
        throw failure(what + " is signed with key " + hex(keyId) + ", which is not one of the trusted public keys");
    }

    private static PGPSignature parse(String what, byte[] signature) throws GitException {
        try {
            JcaPGPObjectFactory objects = new JcaPGPObjectFactory(PGPUtil.getDecoderStream(new ByteArrayInputStream(signature)));
            Object object = objects.nextObject();
            if (object instanceof PGPSignatureList list && !list.isEmpty()) {
                return list.get(0);
            }
        } catch (IOException | RuntimeException e) {
            // reported below
        }
        throw failure(what + " has a signature that is not a valid OpenPGP signature");
    }

    private static GitException failure(String message) {
        return new GitException(GitException.VERIFICATION_ERROR, message);
    }

    static String hex(long keyId) {
        return String.format(Locale.ROOT, "%016X", keyId);
    }
}
