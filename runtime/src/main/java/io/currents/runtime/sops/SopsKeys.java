package io.currents.runtime.sops;

import com.exceptionfactory.jagged.RecipientStanzaReader;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaReaderFactory;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRingCollection;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The private keys available to decrypt SOPS data keys: age X25519 identities and OpenPGP secret keys, as
 * kustomize-controller reads them from the decryption Secret ({@code *.agekey} and {@code *.asc} entries).
 */
public final class SopsKeys {

    private final List<RecipientStanzaReader> ageIdentities = new ArrayList<>();
    private final List<PGPSecretKeyRing> pgpKeys = new ArrayList<>();

    /** Keys from a decryption Secret's data: values of {@code .agekey} and {@code .asc} entries. Other entries are ignored. */
    public static SopsKeys fromSecretData(Map<String, byte[]> data) {
        SopsKeys keys = new SopsKeys();
        data.forEach((name, value) -> {
            if (name.endsWith(".agekey")) {
                keys.addAgeIdentities(new String(value, StandardCharsets.UTF_8));
            } else if (name.endsWith(".asc")) {
                keys.addPgpKeys(value);
            }
        });
        return keys;
    }

    /** Adds every {@code AGE-SECRET-KEY-1…} line of an age key file; comments and blank lines are skipped. */
    public SopsKeys addAgeIdentities(String keyFile) {
        for (String line : keyFile.split("\\R")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            try {
                ageIdentities.add(X25519RecipientStanzaReaderFactory.newRecipientStanzaReader(trimmed));
            } catch (GeneralSecurityException | RuntimeException e) {
                // Never echo the line: it is a private key.
                throw new SopsException("failed to parse age identity: not a valid AGE-SECRET-KEY", null);
            }
        }
        return this;
    }

    /** Adds the secret keys of an armored (or binary) OpenPGP key export; keys must not be passphrase protected. */
    public SopsKeys addPgpKeys(byte[] exported) {
        try {
            var collection = new PGPSecretKeyRingCollection(
                    PGPUtil.getDecoderStream(new ByteArrayInputStream(exported)), new JcaKeyFingerprintCalculator());
            collection.getKeyRings().forEachRemaining(pgpKeys::add);
        } catch (IOException | PGPException e) {
            throw new SopsException("failed to read OpenPGP secret keys: " + e.getClass().getSimpleName(), null);
        }
        return this;
    }

    List<RecipientStanzaReader> ageIdentities() {
        return Collections.unmodifiableList(ageIdentities);
    }

    List<PGPSecretKeyRing> pgpKeys() {
        return Collections.unmodifiableList(pgpKeys);
    }

    public boolean isEmpty() {
        return ageIdentities.isEmpty() && pgpKeys.isEmpty();
    }
}
