package io.currents.cli.ops;

import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import io.currents.cli.ssh.SshFiles;
import io.currents.git.GitAuth;
import io.currents.git.GitSecret;
import io.currents.git.GitTls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Git credentials Secret written from command-line flags, in the layout source-controller reads ({@link GitSecret}).
 * For SSH the server's host key is scanned, as flux does, unless a known_hosts file is given.
 */
final class GitSecrets {

    private GitSecrets() {
    }

    static Map<String, Object> secret(Map<String, Object> metadata, String url, String username, String password, Path privateKey,
                                      Path knownHosts, String bearerToken, Path caFile) {
        GitTls tls = new GitTls(caFile == null ? null : read(caFile, "--ca-crt-file"), null, null);
        Map<String, String> data;
        if (privateKey != null) {
            SshFiles.PrivateKey key = SshFiles.privateKey(privateKey, password);
            GitAuth ssh = GitAuth.ssh(key.bytes(), password, SshFiles.knownHosts(url, knownHosts));
            data = GitSecret.data(new GitAuth(null, null, bearerToken, ssh.privateKey(), password, ssh.knownHosts(), tls),
                    key.publicKeyLine());
        } else {
            data = GitSecret.data(new GitAuth(username, password, bearerToken, null, null, null, tls), null);
        }
        return ObjectMaps.secret(metadata, new LinkedHashMap<>(data));
    }

    static String read(Path file, String flag) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new CliException("cannot read " + file + "; check the path given to " + flag, ExitCodes.USAGE, e);
        }
    }
}
