package io.currents.cli.ssh;

import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.util.io.resource.PathResource;
import org.apache.sshd.common.util.security.SecurityUtils;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The SSH key handling the commands that write Git Secrets share ({@code bootstrap git}, {@code create source git},
 * {@code create secret git}): reading a private key file, deriving its {@code identity.pub} line, and scanning a
 * server's host key into a {@code known_hosts} line.
 */
public final class SshKeys {

    private static final Duration SCAN_TIMEOUT = Duration.ofSeconds(30);

    private SshKeys() {
    }

    /**
     * The key pairs of an OpenSSH or PEM private key file, decrypted with the passphrase when it has one; never empty.
     * A file without a key, a wrong passphrase or an unreadable file is a usage error naming the file.
     */
    public static List<KeyPair> load(Path privateKey, String passphrase) {
        FilePasswordProvider provider = passphrase == null ? FilePasswordProvider.EMPTY : FilePasswordProvider.of(passphrase);
        List<KeyPair> keys = new ArrayList<>();
        try (InputStream in = Files.newInputStream(privateKey)) {
            Iterable<KeyPair> loaded = SecurityUtils.loadKeyPairIdentities(null, new PathResource(privateKey), in, provider);
            if (loaded != null) {
                loaded.forEach(keys::add);
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new CliException("cannot read the private key " + privateKey
                    + " (wrong passphrase in --password, or an unsupported format)", ExitCodes.USAGE, e);
        }
        if (keys.isEmpty()) {
            throw new CliException("no private key found in " + privateKey + "; pass an OpenSSH or PEM private key", ExitCodes.USAGE);
        }
        return keys;
    }

    /** The OpenSSH public key line ({@code identity.pub}) of a key pair. */
    public static String publicKey(KeyPair key) {
        return PublicKeyEntry.toString(key.getPublic());
    }

    /** The OpenSSH public key line of the first key in a private key file (see {@link #load}). */
    public static String publicKey(Path privateKey, String passphrase) {
        return publicKey(load(privateKey, passphrase).get(0));
    }

    /** A known_hosts line for a host key; {@code address} is {@code host} on port 22, {@code [host]:port} otherwise. */
    public static String knownHostsLine(String address, PublicKey hostKey) {
        return address + " " + PublicKeyEntry.toString(hostKey);
    }

    /**
     * Connects to the SSH server of the URL, completes the key exchange and returns its host key as a known_hosts
     * line. Check it against the server's published fingerprint: like ssh-keyscan, this trusts the key on first contact.
     */
    public static String scan(String url) {
        URI uri = URI.create(url);
        String host = uri.getHost();
        if (host == null) {
            throw new CliException("cannot tell the SSH host of " + url + "; use the ssh://[user@]host[:port]/path form", ExitCodes.USAGE);
        }
        int port = uri.getPort() < 0 ? 22 : uri.getPort();
        AtomicReference<PublicKey> seen = new AtomicReference<>();
        SshClient client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier((session, address, key) -> {
            seen.set(key);
            return true;
        });
        client.start();
        try (ClientSession session = client.connect(uri.getUserInfo() == null ? "git" : uri.getUserInfo(), host, port)
                .verify(SCAN_TIMEOUT).getSession()) {
            session.waitFor(EnumSet.of(ClientSession.ClientSessionEvent.WAIT_AUTH, ClientSession.ClientSessionEvent.CLOSED),
                    SCAN_TIMEOUT);
        } catch (IOException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String why = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
            throw new CliException("cannot read the SSH host key of " + host + ":" + port + " (" + why
                    + "); check the URL, or pass the key with --known-hosts-file", ExitCodes.FAILURE, e);
        } finally {
            client.stop();
        }
        if (seen.get() == null) {
            throw new CliException("the SSH server " + host + ":" + port + " sent no host key; pass it with --known-hosts-file");
        }
        return knownHostsLine(port == 22 ? host : "[" + host + "]:" + port, seen.get());
    }
}
