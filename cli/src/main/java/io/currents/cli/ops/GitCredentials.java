package io.currents.cli.ops;

import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import io.currents.cli.ssh.SshKeys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Secret layout source-controller reads Git credentials from: {@code username}/{@code password},
 * {@code identity}/{@code identity.pub}/{@code known_hosts} (plus {@code password} as the key's passphrase),
 * {@code bearerToken}, {@code ca.crt}. For SSH the server's host key is scanned, as flux does, unless a
 * known_hosts file is given.
 */
final class GitCredentials {

    private GitCredentials() {
    }

    static Map<String, Object> secret(Map<String, Object> metadata, String url, String username, String password, Path privateKey,
                                      Path knownHosts, String bearerToken, Path caFile) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (privateKey != null) {
            data.put("identity", read(privateKey, "--private-key-file"));
            data.put("identity.pub", SshKeys.publicKey(privateKey, password) + "\n");
            data.put("known_hosts", knownHosts != null ? read(knownHosts, "--known-hosts-file") : SshKeys.scan(url) + "\n");
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
        return ObjectMaps.secret(metadata, data);
    }

    static String read(Path file, String flag) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new CliException("cannot read " + file + "; check the path given to " + flag, ExitCodes.USAGE, e);
        }
    }
}
