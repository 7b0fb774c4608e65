package io.currents.cli.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The Secret layout source-controller reads Git credentials from (username/password, identity/known_hosts, bearerToken, ca.crt). */
final class GitCredentials {

    private GitCredentials() {
    }

    static Map<String, Object> secret(Map<String, Object> metadata, String username, String password, Path privateKey,
                                      Path knownHosts, String bearerToken, Path caFile) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (username != null) {
            data.put("username", username);
            if (password != null) {
                data.put("password", password);
            }
        } else if (password != null) {
            data.put("password", password);
        }
        if (privateKey != null) {
            data.put("identity", read(privateKey, "--private-key-file"));
            if (knownHosts == null) {
                throw new OpsException("SSH needs the server's host keys; pass --known-hosts-file (e.g. the output of ssh-keyscan <host>)");
            }
            data.put("known_hosts", read(knownHosts, "--known-hosts-file"));
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

    private static String read(Path file, String flag) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new OpsException("cannot read " + file + "; check the path given to " + flag, e);
        }
    }
}
