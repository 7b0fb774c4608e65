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
 * {@code currents bootstrap gitlab} against a fake of GitLab's REST API v4 (HTTPS on loopback, {@code PRIVATE-TOKEN},
 * every request checked), the real Git servers its clone URLs point at, and the shared control plane.
 */
@Tag("cluster")
class BootstrapGitLabTest {

    private static final String TOKEN = "glpat-test-token";

    @TempDir
    Path root;
    ProviderFixture fixture;
    ProviderServer server;
    GitLabFake gitlab;

    @BeforeEach
    void start() throws Exception {
        fixture = new ProviderFixture(root, "acme", TOKEN);
        server = new ProviderServer(fixture.certificates, "PRIVATE-TOKEN", TOKEN);
        gitlab = new GitLabFake(server, "jane", fixture.httpsUrl(), fixture.sshUrl(), fixture.ssh::authorize);
        gitlab.groups.put("acme", 7);
        gitlab.groups.put("acme/platform", 8);
    }

    @AfterEach
    void stop() {
        server.close();
        fixture.close();
    }

    @Test
    void createsTheGroupProjectSharesItWithTheTeamAndRegistersAReadWriteDeployKey() throws Exception {
        String ns = "gl-group";
        CommandResult r = bootstrap(ns, "--visibility", "internal", "--team", "acme/platform:push", "--read-write-key",
                "--ssh-key-algorithm", "rsa", "--ssh-rsa-bits", "3072");

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.TIMEOUT);
        assertThat(server.violations()).isEmpty();
        assertThat(server.log()).containsExactly("GET /api/v4/projects/acme%2Ffleet", "GET /api/v4/groups/acme", "POST /api/v4/projects",
                "GET /api/v4/projects/100", "GET /api/v4/groups/acme%2Fplatform", "POST /api/v4/projects/100/share",
                "GET /api/v4/projects/100/deploy_keys", "POST /api/v4/projects/100/deploy_keys");
        assertThat(gitlab.projects.get("acme/fleet").get("visibility").asText()).isEqualTo("internal");
        assertThat(gitlab.projects.get("acme/fleet").get("shared_with_groups").get(0).get("group_access_level").asInt()).isEqualTo(30);
        assertThat(gitlab.keys.get(0).get("can_push").asBoolean()).isTrue();
        assertThat(r.err()).contains("✔ public key: ssh-rsa ");

        Map<String, String> secret = fixture.secret(ns, ns);
        assertThat(secret.get("identity.pub").trim()).isEqualTo(gitlab.keys.get(0).get("key").asText());
        assertThat(fixture.headOverSshWith(secret)).isEqualTo(fixture.repo.head("main"));

        // --reconcile on the existing project: the visibility and the team's access level follow the flags
        server.clearLog();
        CommandResult again = bootstrap(ns, "--visibility", "private", "--team", "acme/platform", "--reconcile");
        assertThat(again.code()).as(again.toString()).isEqualTo(ExitCodes.TIMEOUT);
        assertThat(server.log()).containsExactly("GET /api/v4/projects/acme%2Ffleet", "PUT /api/v4/projects/100",
                "GET /api/v4/projects/100", "GET /api/v4/groups/acme%2Fplatform", "DELETE /api/v4/projects/100/share/8",
                "POST /api/v4/projects/100/share");
        assertThat(gitlab.projects.get("acme/fleet").get("visibility").asText()).isEqualTo("private");
        assertThat(gitlab.projects.get("acme/fleet").get("shared_with_groups").get(0).get("group_access_level").asInt()).isEqualTo(40);
        assertThat(server.violations()).isEmpty();
    }

    @Test
    void deployTokenAuthStoresAProjectDeployTokenAndRenewsItOnlyWhenTheSecretIsGone() {
        gitlab.existing("acme", "fleet", "private", fixture.httpsUrl(), fixture.sshUrl());
        String ns = "gl-token";
        CommandResult r = bootstrap(ns, "--deploy-token-auth");

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.TIMEOUT);
        assertThat(server.violations()).isEmpty();
        assertThat(server.log()).containsExactly("GET /api/v4/projects/acme%2Ffleet", "GET /api/v4/projects/100/deploy_tokens",
                "POST /api/v4/projects/100/deploy_tokens");
        assertThat(gitlab.deployTokens.get(0).get("name").asText()).isEqualTo(ns + "-main-" + ns);
        assertThat(gitlab.deployTokens.get(0).get("scopes").toString()).isEqualTo("[\"read_repository\"]");
        assertThat(fixture.secret(ns, ns)).containsOnlyKeys("username", "password", "ca.crt")
                .containsEntry("username", "gitlab+deploy-token-1").containsEntry("password", "deploy-secret-1");

        server.clearLog();
        assertThat(bootstrap(ns, "--deploy-token-auth").code()).isEqualTo(ExitCodes.TIMEOUT);
        assertThat(server.log()).containsExactly("GET /api/v4/projects/acme%2Ffleet", "GET /api/v4/projects/100/deploy_tokens");
        assertThat(fixture.secret(ns, ns)).containsEntry("password", "deploy-secret-1");

        fixture.deleteSecret(ns, ns);
        server.clearLog();
        assertThat(bootstrap(ns, "--deploy-token-auth").code()).isEqualTo(ExitCodes.TIMEOUT);
        assertThat(server.log()).containsExactly("GET /api/v4/projects/acme%2Ffleet", "GET /api/v4/projects/100/deploy_tokens",
                "DELETE /api/v4/projects/100/deploy_tokens/1", "POST /api/v4/projects/100/deploy_tokens");
        assertThat(fixture.secret(ns, ns)).as("a new token, the old one revoked")
                .containsEntry("username", "gitlab+deploy-token-2").containsEntry("password", "deploy-secret-2");
        assertThat(gitlab.deployTokens).hasSize(1);
        assertThat(server.violations()).isEmpty();

        CommandResult both = bootstrap(ns, "--deploy-token-auth", "--token-auth");
        assertThat(both.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(both.err()).isEqualTo("✗ --token-auth and --deploy-token-auth cannot be set both\n");
    }

    @Test
    void anUnknownVisibilityIsAUsageError() {
        CommandResult r = bootstrap("gl-bad", "--visibility", "secret");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).isEqualTo("✗ invalid --visibility 'secret': use private, internal or public\n");
        assertThat(server.log()).isEmpty();
    }

    private CommandResult bootstrap(String ns, String... extra) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("bootstrap", "gitlab", "--owner", "acme",
                "--repository", "fleet", "--hostname", server.host(), "--ca-file", fixture.caFile.toString(), "-n", ns,
                "--local-controllers", "--timeout", "3s"));
        args.addAll(java.util.List.of(extra));
        return fixture.bootstrap(args.toArray(String[]::new));
    }
}
