package io.currents.testkit.git;

import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.operator.PGPDigestCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPDigestCalculatorProviderBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyPair;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.util.Date;
import java.util.HexFormat;

/** An OpenPGP signing key generated for a test, used to sign commits and tags like {@code git -S} would. */
public final class PgpKey {

    private static final Provider BC = new BouncyCastleProvider();

    private final PGPPublicKeyRing publicRing;
    private final PGPPrivateKey privateKey;

    private PgpKey(PGPPublicKeyRing publicRing, PGPPrivateKey privateKey) {
        this.publicRing = publicRing;
        this.privateKey = privateKey;
    }

    /** A fresh RSA 2048 key certified for the given user id, e.g. {@code "Flux <flux@example.com>"}. */
    public static PgpKey generate(String userId) {
        try {
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048);
            PGPKeyPair pair = new JcaPGPKeyPair(PublicKeyPacket.VERSION_4, PGPPublicKey.RSA_GENERAL,
                    rsa.generateKeyPair(), new Date());
            PGPDigestCalculator sha1 = new JcaPGPDigestCalculatorProviderBuilder().setProvider(BC).build()
                    .get(HashAlgorithmTags.SHA1);
            PGPKeyRingGenerator rings = new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION, pair, userId,
                    sha1, null, null,
                    new JcaPGPContentSignerBuilder(pair.getPublicKey().getAlgorithm(), HashAlgorithmTags.SHA256)
                            .setProvider(BC),
                    null);
            return new PgpKey(rings.generatePublicKeyRing(), pair.getPrivateKey());
        } catch (GeneralSecurityException | PGPException e) {
            throw new IllegalStateException("cannot generate a PGP key", e);
        }
    }

    /** The ASCII-armored public key, as a user would put it in a verification Secret. */
    public String armoredPublicKey() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArmoredOutputStream armored = new ArmoredOutputStream(out)) {
            publicRing.encode(armored);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    /** The 16-digit upper-case hex key id of the primary key. */
    public String keyId() {
        return HexFormat.of().withUpperCase().formatHex(longBytes(publicRing.getPublicKey().getKeyID()));
    }

    /** An armored detached signature of {@code payload}, the form Git stores in commits and tags. */
    public byte[] sign(byte[] payload) {
        try {
            PGPPublicKey publicKey = publicRing.getPublicKey();
            PGPSignatureGenerator generator = new PGPSignatureGenerator(
                    new JcaPGPContentSignerBuilder(publicKey.getAlgorithm(), HashAlgorithmTags.SHA256).setProvider(BC),
                    publicKey);
            generator.init(PGPSignature.BINARY_DOCUMENT, privateKey);
            generator.update(payload);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ArmoredOutputStream armored = ArmoredOutputStream.builder().clearHeaders().build(out)) {
                generator.generate().encode(armored);
            }
            return out.toByteArray();
        } catch (PGPException e) {
            throw new IllegalStateException("cannot sign", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] longBytes(long value) {
        byte[] bytes = new byte[8];
        for (int i = 7; i >= 0; i--) {
            bytes[i] = (byte) value;
            value >>>= 8;
        }
        return bytes;
    }
}
