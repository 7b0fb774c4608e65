package io.currents.testkit.sops;

import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPDigestCalculatorProviderBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyPair;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Date;
import java.util.HexFormat;

/** A fresh, passphrase-less OpenPGP RSA key for SOPS tests, as {@code gpg --export-secret-keys --armor} would give it. */
public record PgpKeyPair(PGPPublicKey publicKey, String armoredSecretKey, String fingerprint) {

    static final BouncyCastleProvider BC = new BouncyCastleProvider();

    public static PgpKeyPair generate(String userId) {
        try {
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048);
            PGPKeyPair pair = new JcaPGPKeyPair(PublicKeyAlgorithmTags.RSA_GENERAL, rsa.generateKeyPair(), new Date());
            PGPKeyRingGenerator generator = new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION, pair, userId,
                    new JcaPGPDigestCalculatorProviderBuilder().build().get(HashAlgorithmTags.SHA1), null, null,
                    new JcaPGPContentSignerBuilder(PublicKeyAlgorithmTags.RSA_GENERAL, HashAlgorithmTags.SHA256).setProvider(BC),
                    null);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ArmoredOutputStream armor = new ArmoredOutputStream(out)) {
                generator.generateSecretKeyRing().encode(armor);
            }
            PGPPublicKey publicKey = generator.generatePublicKeyRing().getPublicKey();
            return new PgpKeyPair(publicKey, out.toString(StandardCharsets.US_ASCII),
                    HexFormat.of().withUpperCase().formatHex(publicKey.getFingerprint()));
        } catch (NoSuchAlgorithmException | PGPException | IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
