package io.currents.cli.ops;

import io.currents.testkit.git.GitSshServer;
import io.currents.testkit.git.SshKeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** SSH credentials: the host key is scanned from a real OpenSSH server and the public key derived from the private one. */
class CreateSshSecretTest {

    @Test
    void secretGitScansTheHostKeyAndDerivesTheIdentityPub(@TempDir Path dir) throws Exception {
        SshKeyPair key = SshKeyPair.ed25519();
        Path keyFile = dir.resolve("id");
        Files.write(keyFile, key.privateKey());
        Files.createDirectories(dir.resolve("repos"));
        try (GitSshServer server = GitSshServer.start(dir.resolve("repos"), List.of(key.publicKey()))) {
            String url = "ssh://git@127.0.0.1:" + server.port() + "/fleet.git";
            Cli.Run r = Cli.run("create", "secret", "git", "fleet", "--url", url, "--private-key-file", keyFile.toString(),
                    "-n", "apps", "--export");
            assertThat(r.code()).as(r.err()).isZero();
            String[] publicKey = key.publicKey().split(" ");
            assertThat(r.out()).startsWith("---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: fleet\n  namespace: apps\nstringData:\n")
                    .contains("  identity: |\n    -----BEGIN OPENSSH PRIVATE KEY-----\n")
                    .contains("  identity.pub: |\n    " + publicKey[0] + " " + publicKey[1])
                    .contains("  known_hosts: |\n    " + server.knownHostsLine() + "\n");
        }
    }

    @Test
    void anUnreachableServerFailsWithAWayOut(@TempDir Path dir) throws Exception {
        SshKeyPair key = SshKeyPair.ed25519();
        Path keyFile = dir.resolve("id");
        Files.write(keyFile, key.privateKey());
        int closed = io.currents.testkit.ControlPlane.freePort();
        Cli.Run r = Cli.run("create", "secret", "git", "fleet", "--url", "ssh://git@127.0.0.1:" + closed + "/fleet.git",
                "--private-key-file", keyFile.toString(), "--export");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("✗ cannot read the SSH host key of 127.0.0.1:" + closed).contains("--known-hosts-file");
        Path knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, "[127.0.0.1]:" + closed + " ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n");
        Cli.Run given = Cli.run("create", "secret", "git", "fleet", "--url", "ssh://git@127.0.0.1:" + closed + "/fleet.git",
                "--private-key-file", keyFile.toString(), "--known-hosts-file", knownHosts.toString(), "--export");
        assertThat(given.code()).as(given.err()).isZero();
        assertThat(given.out()).contains("known_hosts: |\n    [127.0.0.1]:" + closed + " ssh-ed25519 AAAAC3");
        Cli.Run https = Cli.run("create", "source", "git", "fleet", "--url", "https://example.com/x.git", "--branch", "main",
                "--private-key-file", keyFile.toString(), "--export");
        assertThat(https.code()).isEqualTo(2);
        assertThat(https.err()).contains("--private-key-file needs an ssh:// URL");
    }
}
