package io.currents.git;

import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

/**
 * Strict host key checking against the {@code known_hosts} text of a GitRepository's Secret: a
 * server whose key is not listed for its host (and port) is refused, never added. Remembers why
 * it refused so the failure can say so.
 */
public final class KnownHosts implements ServerKeyDatabase {

    /** The known_hosts text is not in OpenSSH's format. */
    public static final class InvalidKnownHosts extends Exception {
        InvalidKnownHosts(String message) {
            super(message);
        }
    }

    private final List<KnownHostEntry> entries;
    private volatile String refusal;

    public KnownHosts(String knownHostsText) throws InvalidKnownHosts {
        try {
            entries = knownHostsText == null ? List.of()
                    : KnownHostEntry.readKnownHostEntries(new BufferedReader(new StringReader(knownHostsText)));
        } catch (IOException | RuntimeException e) {
            throw new InvalidKnownHosts("known_hosts could not be parsed: " + e.getMessage());
        }
    }

    /** Why the last server key was refused, or null. */
    public String refusal() {
        return refusal;
    }

    @Override
    public List<PublicKey> lookup(String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
        List<PublicKey> keys = new ArrayList<>();
        for (KnownHostEntry entry : matching(connectAddress)) {
            PublicKey key = resolve(entry);
            if (key != null && entry.getMarker() == null) {
                keys.add(key);
            }
        }
        return keys;
    }

    @Override
    public boolean accept(String connectAddress, InetSocketAddress remoteAddress, PublicKey serverKey,
                          Configuration config, CredentialsProvider provider) {
        List<KnownHostEntry> candidates = matching(connectAddress);
        for (KnownHostEntry entry : candidates) {
            if (KeyUtils.compareKeys(resolve(entry), serverKey)) {
                if ("revoked".equals(entry.getMarker())) {
                    refusal = "the host key of " + connectAddress + " is marked @revoked in known_hosts";
                    return false;
                }
                if (entry.getMarker() == null) {
                    return true;
                }
            }
        }
        String fingerprint = KeyUtils.getFingerPrint(serverKey);
        refusal = candidates.isEmpty()
                ? "host " + connectAddress + " is not in known_hosts (it offered " + KeyUtils.getKeyType(serverKey)
                  + " " + fingerprint + ")"
                : "host key mismatch for " + connectAddress + ": the server offered " + KeyUtils.getKeyType(serverKey)
                  + " " + fingerprint + ", which known_hosts does not list";
        return false;
    }

    private List<KnownHostEntry> matching(String connectAddress) {
        String host = connectAddress;
        int port = 22;
        if (connectAddress.startsWith("[")) {
            int close = connectAddress.indexOf(']');
            host = connectAddress.substring(1, close);
            if (connectAddress.length() > close + 2 && connectAddress.charAt(close + 1) == ':') {
                port = Integer.parseInt(connectAddress.substring(close + 2));
            }
        }
        List<KnownHostEntry> result = new ArrayList<>();
        for (KnownHostEntry entry : entries) {
            if (entry.isHostMatch(host, port)) {
                result.add(entry);
            }
        }
        return result;
    }

    private static PublicKey resolve(KnownHostEntry entry) {
        try {
            return entry.getKeyEntry() == null ? null : entry.getKeyEntry().resolvePublicKey(null, null, null);
        } catch (IOException | GeneralSecurityException e) {
            return null;
        }
    }
}
