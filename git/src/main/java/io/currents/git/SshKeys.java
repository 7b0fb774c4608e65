package io.currents.git;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

import org.apache.sshd.common.cipher.ECCurves;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * SSH key material as Git Secrets carry it: private keys (OpenSSH or PEM, optionally encrypted),
 * their {@code identity.pub} line, {@code known_hosts} lines, and a host key scan for the tools
 * that write such Secrets.
 */
public final class SshKeys {

    private SshKeys() {
    }

    /**
     * The key pairs of an OpenSSH or PEM private key, decrypted with {@code passphrase} when it has
     * one; never empty.
     *
     * @throws GitException {@code AuthenticationFailed} without quoting the key or the passphrase
     */
    public static List<KeyPair> load(byte[] privateKey, String passphrase) throws GitException {
        ensureOwnBouncyCastle();
        if (privateKey == null || privateKey.length == 0) {
            throw new GitException(GitException.AUTHENTICATION_FAILED, "the SSH private key is empty");
        }
        FilePasswordProvider password = GitAuth.present(passphrase) ? FilePasswordProvider.of(passphrase) : FilePasswordProvider.EMPTY;
        List<KeyPair> keys = new ArrayList<>();
        try {
            Iterable<KeyPair> loaded = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName("identity"),
                    new ByteArrayInputStream(privateKey), password);
            if (loaded != null) {
                loaded.forEach(keys::add);
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            // the parser's message never contains key material, but its class is all a person needs
            throw new GitException(GitException.AUTHENTICATION_FAILED,
                    "the SSH private key could not be read (wrong passphrase or unsupported format): " + e.getClass().getSimpleName());
        }
        if (keys.isEmpty()) {
            throw new GitException(GitException.AUTHENTICATION_FAILED, "the SSH private key could not be read: no key found in 'identity'");
        }
        return keys;
    }

    /** The OpenSSH public key line ({@code identity.pub}) of a key pair. */
    public static String publicKey(KeyPair key) {
        return PublicKeyEntry.toString(key.getPublic());
    }

    /**
     * A new key pair for a deploy key, as {@code flux bootstrap} generates one: {@code rsa} with {@code rsaBits},
     * {@code ecdsa} on {@code curve} (p256, p384 or p521) or {@code ed25519}; the private half in OpenSSH form.
     *
     * @throws GitException {@code GitOperationFailed} for an unknown algorithm or curve
     */
    public static GeneratedKey generate(String algorithm, int rsaBits, String curve) throws GitException {
        ensureOwnBouncyCastle();
        try {
            KeyPair pair = switch (algorithm) {
                case "rsa" -> KeyUtils.generateKeyPair(KeyPairProvider.SSH_RSA, rsaBits);
                case "ecdsa" -> {
                    ECCurves ec = switch (curve) {
                        case "p256" -> ECCurves.nistp256;
                        case "p384" -> ECCurves.nistp384;
                        case "p521" -> ECCurves.nistp521;
                        default -> throw new GitException(GitException.GIT_OPERATION_FAILED,
                                "unknown ECDSA curve '" + curve + "': use p256, p384 or p521");
                    };
                    yield KeyUtils.generateKeyPair(ec.getKeyType(), ec.getKeySize());
                }
                case "ed25519" -> KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
                default -> throw new GitException(GitException.GIT_OPERATION_FAILED,
                        "unknown SSH key algorithm '" + algorithm + "': use rsa, ecdsa or ed25519");
            };
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "", null, out);
            return new GeneratedKey(out.toByteArray(), publicKey(pair));
        } catch (IOException | GeneralSecurityException e) {
            throw new GitException(GitException.GIT_OPERATION_FAILED, "cannot generate the " + algorithm + " key: " + e.getMessage());
        }
    }

    /** A generated key pair: the OpenSSH private key file's bytes and the public key line. */
    public record GeneratedKey(byte[] privateKey, String publicKey) {
    }

    /** A known_hosts line for a host key; {@code address} is {@code host} on port 22, {@code [host]:port} otherwise. */
    public static String knownHostsLine(String address, PublicKey hostKey) {
        return address + " " + PublicKeyEntry.toString(hostKey);
    }

    /**
     * Connects to the SSH server of {@code url}, completes the key exchange and returns its host key
     * as a known_hosts line. Like ssh-keyscan this trusts the key on first contact: a person should
     * check it against the server's published fingerprint.
     *
     * @throws GitException {@code URLInvalid} for a URL without host, {@code GitOperationFailed} when the server cannot be read
     */
    public static String scan(String url, Duration timeout) throws GitException {
        return scan(url, timeout, List.of());
    }

    /**
     * As {@link #scan(String, Duration)}, offering the server only the given host key algorithms (most preferred first;
     * empty: the client's defaults), so the key recorded is of one of them, as {@code ssh-keyscan -t} or OpenSSH's
     * {@code HostKeyAlgorithms}.
     */
    public static String scan(String url, Duration timeout, List<String> hostKeyAlgorithms) throws GitException {
        var signatures = hostKeySignatures(hostKeyAlgorithms);
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null) {
            throw new GitException(GitException.URL_INVALID, "cannot tell the SSH host of " + GitUrl.redact(url)
                    + "; use the ssh://[user@]host[:port]/path form");
        }
        String host = uri.getHost();
        int port = uri.getPort() < 0 ? 22 : uri.getPort();
        AtomicReference<PublicKey> seen = new AtomicReference<>();
        ensureOwnBouncyCastle();
        SshClient client = SshClient.setUpDefaultClient();
        if (!signatures.isEmpty()) {
            client.setSignatureFactories(new ArrayList<org.apache.sshd.common.NamedFactory<org.apache.sshd.common.signature.Signature>>(signatures));
        }
        client.setServerKeyVerifier((session, address, key) -> {
            seen.set(key);
            return true;
        });
        client.start();
        try (ClientSession session = client.connect(uri.getUserInfo() == null ? "git" : uri.getUserInfo(), host, port)
                .verify(timeout).getSession()) {
            session.waitFor(EnumSet.of(ClientSession.ClientSessionEvent.WAIT_AUTH, ClientSession.ClientSessionEvent.CLOSED), timeout);
        } catch (IOException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String why = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
            throw new GitException(GitException.GIT_OPERATION_FAILED, "cannot read the SSH host key of " + host + ":" + port
                    + " (" + why + ")");
        } finally {
            client.stop();
        }
        if (seen.get() == null && !signatures.isEmpty()) {
            throw new GitException(GitException.GIT_OPERATION_FAILED, "the SSH server " + host + ":" + port
                    + " has no host key of the algorithms " + String.join(",", hostKeyAlgorithms));
        }
        if (seen.get() == null) {
            throw new GitException(GitException.GIT_OPERATION_FAILED, "the SSH server " + host + ":" + port + " sent no host key");
        }
        return knownHostsLine(port == 22 ? host : "[" + host + "]:" + port, seen.get());
    }

    /**
     * Makes sure the Bouncy Castle provider registered in the JVM is the one this code was loaded
     * with. sshd reads ed25519 keys through whichever "BC" provider is registered; one loaded by
     * another class loader (a test harness, an embedding application) yields "key spec not
     * recognized". In a deployed controller there is one class loader and this is a no-op.
     */
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

    /**
     * The host key algorithms named (OpenSSH names such as {@code ssh-ed25519}, {@code rsa-sha2-512},
     * {@code ecdsa-sha2-nistp256}), in order; an unknown or unsupported name is an error naming the supported ones.
     */
    public static List<org.apache.sshd.common.signature.BuiltinSignatures> hostKeySignatures(List<String> names) throws GitException {
        List<org.apache.sshd.common.signature.BuiltinSignatures> out = new java.util.ArrayList<>();
        for (String name : names == null ? List.<String>of() : names) {
            var signature = org.apache.sshd.common.signature.BuiltinSignatures.fromFactoryName(name.trim());
            if (signature == null || !signature.isSupported()) {
                throw new GitException(GitException.URL_INVALID, "unsupported SSH host key algorithm '" + name + "'; use one of "
                        + String.join(", ", org.apache.sshd.common.signature.BuiltinSignatures.VALUES.stream()
                                .filter(org.apache.sshd.common.signature.BuiltinSignatures::isSupported)
                                .map(org.apache.sshd.common.signature.BuiltinSignatures::getName).toList()));
            }
            out.add(signature);
        }
        return out;
    }
}
