package io.currents.cli.bootstrap;

import io.currents.cli.CommandResult;
import io.currents.cli.output.ExitCodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code currents bootstrap gitea} against a fake of Gitea's REST API v1 (HTTPS on loopback, {@code Authorization: token},
 * every request checked), the real Git servers its clone URLs point at, and the shared control plane.
 */
@Tag("cluster")
class BootstrapGiteaTest {

    private static final String TOKEN = "gitea-test-token";

    @TempDir
    Path root;
    ProviderFixture fixture;
    ProviderServer server;
    GitHubFake gitea;

    @BeforeEach
    void start() throws Exception {
        fixture = new ProviderFixture(root, "acme", TOKEN);
        server = new ProviderServer(fixture.certificates, "Authorization", "token " + TOKEN);
        gitea = new GitHubFake(server, true, "jane", fixture.httpsUrl(), fixture.sshUrl(), fixture.ssh::authorize);
    }

    @AfterEach
    void stop() {
        server.close();
        fixture.close();
    }

    @Test
    void createsTheOrganizationRepositoryAddsTheTeamAndSyncsOverSshWithTheRegisteredEd25519Key() throws Exception {
        String ns = "gitea-org";
        CommandResult r = fixture.bootstrap("bootstrap", "gitea", "--owner", "acme", "--repository", "fleet", "--hostname", server.host(),
                "--ca-file", fixture.caFile.toString(), "--team", "platform", "--private=false", "--ssh-key-algorithm", "ed25519",
                "-n", ns, "--local-controllers", "--timeout", "3s");

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.TIMEOUT);
        assertThat(server.violations()).isEmpty();
        assertThat(server.log()).containsExactly("GET /api/v1/repos/acme/fleet", "POST /api/v1/orgs/acme/repos",
                "GET /api/v1/repos/acme/fleet/teams/platform", "PUT /api/v1/repos/acme/fleet/teams/platform",
                "GET /api/v1/repos/acme/fleet/keys", "POST /api/v1/repos/acme/fleet/keys");
        assertThat(gitea.repos.get("acme/fleet").get("private").asBoolean()).isFalse();
        assertThat(gitea.teamAccess).containsOnlyKeys("platform@acme/fleet");
        assertThat(r.err()).contains("✔ public key: ssh-ed25519 ", "✔ configured deploy key \"" + ns + "-main-" + ns + "\"");

        Map<String, String> secret = fixture.secret(ns, ns);
        assertThat(secret.get("identity.pub").trim()).isEqualTo(gitea.keys.get(0).get("key").asText()).startsWith("ssh-ed25519 ");
        String head = fixture.repo.head("main");
        assertThat(fixture.files(head)).contains(ns + "/currents-sync.yaml");
        assertThat(fixture.headOverSshWith(secret)).isEqualTo(head);
    }
}
