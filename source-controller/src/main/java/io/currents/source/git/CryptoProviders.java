package io.currents.source.git;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

import java.security.Provider;
import java.security.Security;

/**
 * Makes sure the Bouncy Castle provider registered in the JVM is the one this code was loaded with.
 * sshd (JGit's SSH transport) reads ed25519 keys through whichever "BC" provider is registered;
 * one loaded by another class loader (a test harness, an embedding application) yields
 * "key spec not recognized". In a deployed controller there is one class loader and this is a no-op.
 */
final class CryptoProviders {

    private CryptoProviders() {
    }

    static synchronized void ensureOwnBouncyCastle() {
        Provider registered = Security.getProvider(BouncyCastleProvider.PROVIDER_NAME);
        if (registered != null && registered.getClass() == BouncyCastleProvider.class) {
            return;
        }
        if (registered != null) {
            Security.removeProvider(BouncyCastleProvider.PROVIDER_NAME);
        }
        Security.addProvider(new BouncyCastleProvider());
    }
}
