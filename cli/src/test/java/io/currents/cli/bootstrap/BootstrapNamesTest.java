package io.currents.cli.bootstrap;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The names and URLs bootstrap derives: flux's deploy key name, SSH clone URLs, --ssh-hostname, key comparison. */
class BootstrapNamesTest {

    @Test
    void theDeployKeyIsNamedAsFluxNamesIt() {
        assertThat(DeployKey.name("flux-system", "main", "flux-system", "./clusters/my-cluster"))
                .isEqualTo("flux-system-main-flux-system-./clusters/my-cluster");
        assertThat(DeployKey.name("currents-system", "main", "currents-system", "")).isEqualTo("currents-system-main-currents-system");
    }

    @Test
    void anScpLikeSshUrlBecomesAnSshUrl() {
        assertThat(ProviderApi.sshUrl("git@github.com:acme/fleet.git")).isEqualTo("ssh://git@github.com/acme/fleet.git");
        assertThat(ProviderApi.sshUrl("ssh://git@host:7999/acme/fleet.git")).isEqualTo("ssh://git@host:7999/acme/fleet.git");
    }

    @Test
    void sshHostnameReplacesHostAndPortOnly() {
        assertThat(BootstrapGitCommand.withHost("ssh://git@github.com/acme/fleet.git", "ssh.github.com:443"))
                .isEqualTo("ssh://git@ssh.github.com:443/acme/fleet.git");
        assertThat(BootstrapGitCommand.withHost("ssh://git.example.com:2222/x.git", "other")).isEqualTo("ssh://other/x.git");
    }

    @Test
    void keysAreComparedWithoutTheirComment() {
        assertThat(ProviderApi.keyMaterial("ssh-ed25519 AAAAC3Nza bot@example\n")).isEqualTo("ssh-ed25519 AAAAC3Nza");
        assertThat(ProviderApi.keyMaterial("ssh-ed25519 AAAAC3Nza")).isEqualTo(ProviderApi.keyMaterial("ssh-ed25519 AAAAC3Nza other"));
    }
}
