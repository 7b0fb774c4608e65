package io.currents.testkit.sops;

import com.exceptionfactory.jagged.x25519.X25519KeyPairGenerator;

import java.security.GeneralSecurityException;
import java.security.KeyPair;

/** A fresh age X25519 key pair for tests: the {@code AGE-SECRET-KEY-1…} identity and its {@code age1…} recipient. */
public record AgeIdentity(String identity, String recipient) {

    public static AgeIdentity generate() {
        try {
            KeyPair pair = new X25519KeyPairGenerator().generateKeyPair();
            return new AgeIdentity(pair.getPrivate().toString(), pair.getPublic().toString());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key file age-keygen would write. */
    public String keyFile() {
        return "# created: by currents testkit\n# public key: " + recipient + "\n" + identity + "\n";
    }
}
