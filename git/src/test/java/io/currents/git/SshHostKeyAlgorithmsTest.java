package io.currents.git;

import io.currents.testkit.git.GitSshServer;
import io.currents.testkit.git.SshKeyPair;
import io.currents.testkit.git.TestRepo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Host key algorithms for a host key scan (bootstrap's --ssh-hostkey-algos), against a real sshd with an ed25519 host key. */
class SshHostKeyAlgorithmsTest {

    @TempDir
    Path repos;

    @Test
    void aScanOffersOnlyTheGivenAlgorithms() throws Exception {
        TestRepo repo = TestRepo.create(repos, "scanned");
        try (GitSshServer ssh = GitSshServer.start(repos, List.of(SshKeyPair.ed25519().publicKey()))) {
            String url = ssh.url(repo);
            assertThat(SshKeys.scan(url, Duration.ofSeconds(10), List.of("rsa-sha2-512", "ssh-ed25519")))
                    .isEqualTo(ssh.knownHostsLine());
            assertThatThrownBy(() -> SshKeys.scan(url, Duration.ofSeconds(10), List.of("rsa-sha2-512", "rsa-sha2-256")))
                    .isInstanceOf(GitException.class).hasMessage("the SSH server 127.0.0.1:" + ssh.port() + " has no host key of the algorithms rsa-sha2-512,rsa-sha2-256");
            assertThatThrownBy(() -> SshKeys.hostKeySignatures(List.of("ssh-ed25519", "nope")))
                    .isInstanceOf(GitException.class).hasMessageStartingWith("unsupported SSH host key algorithm 'nope'; use one of ");
        } finally {
            repo.close();
        }
    }
}
