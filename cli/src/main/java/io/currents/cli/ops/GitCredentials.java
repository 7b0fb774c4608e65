package io.currents.cli.ops;

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
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Secret layout source-controller reads Git credentials from: {@code username}/{@code password},
 * {@code identity}/{@code identity.pub}/{@code known_hosts} (plus {@code password} as the key's passphrase),
 * {@code bearerToken}, {@code ca.crt}. For SSH the server's host key is scanned, as flux does, unless a
 * known_hosts file is given.
 */
final class GitCredentials {

    private static final Duration SCAN_TIMEOUT = Duration.ofSeconds(30);

    private GitCredentials() {
    }

    static Map<String, Object> secret(Map<String, Object> metadata, String url, String username, String password, Path privateKey,
                                      Path knownHosts, String bearerToken, Path caFile) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (privateKey != null) {
            data.put("identity", read(privateKey, "--private-key-file"));
            data.put("identity.pub", publicKey(privateKey, password) + "\n");
            data.put("known_hosts", knownHosts != null ? read(knownHosts, "--known-hosts-file") : scan(url) + "\n");
            if (password != null) {
                data.put("password", password);
            }
        } else {
            if (username != null) {
                data.put("username", username);
            }
            if (password != null) {
                data.put("password", password);
            }
        }
        if (bearerToken != null) {
            data.put("bearerToken", bearerToken);
        }
        if (caFile != null) {
            data.put("ca.crt", read(caFile, "--ca-crt-file"));
        }
        Map<String, Object> secret = new LinkedHashMap<>();
        secret.put("apiVersion", "v1");
        secret.put("kind", "Secret");
        secret.put("metadata", metadata);
        secret.put("stringData", data);
        return secret;
    }

    /** The OpenSSH public key line of a private key file (decrypted with the passphrase when it has one). */
    static String publicKey(Path privateKey, String passphrase) {
        FilePasswordProvider provider = passphrase == null ? FilePasswordProvider.EMPTY : FilePasswordProvider.of(passphrase);
        try (InputStream in = Files.newInputStream(privateKey)) {
            Iterable<KeyPair> keys = SecurityUtils.loadKeyPairIdentities(null, new PathResource(privateKey), in, provider);
            Iterator<KeyPair> it = keys == null ? null : keys.iterator();
            if (it == null || !it.hasNext()) {
                throw new CliException("no private key found in " + privateKey + "; pass an OpenSSH or PEM private key", ExitCodes.USAGE);
            }
            return PublicKeyEntry.toString(it.next().getPublic());
        } catch (IOException | GeneralSecurityException e) {
            throw new CliException("cannot read the private key " + privateKey
                    + " (wrong passphrase in --password, or an unsupported format)", ExitCodes.USAGE, e);
        }
    }

    /**
     * Connects to the SSH server of the URL, completes the key exchange and returns its host key as a known_hosts
     * line ({@code host key} on port 22, {@code [host]:port key} otherwise). Check it against the server's
     * published fingerprint: like ssh-keyscan, this trusts the key on first contact.
     */
    static String scan(String url) {
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
        return (port == 22 ? host : "[" + host + "]:" + port) + " " + PublicKeyEntry.toString(seen.get());
    }

    private static String read(Path file, String flag) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new CliException("cannot read " + file + "; check the path given to " + flag, ExitCodes.USAGE, e);
        }
    }
}
