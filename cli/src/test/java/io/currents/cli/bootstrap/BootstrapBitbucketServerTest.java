package io.currents.cli.bootstrap;

import io.currents.cli.CommandResult;
import io.currents.cli.output.ExitCodes;
import io.currents.testkit.ControlPlane;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code currents bootstrap bitbucket-server} against a fake of Bitbucket Server's REST API 1.0 (HTTPS on loopback,
 * basic authentication with --username and the token, every request checked), the real Git servers its clone links
 * point at, and the shared control plane.
 */
@Tag("cluster")
class BootstrapBitbucketServerTest {

    private static final String TOKEN = "bbs-test-token";

    @TempDir
    Path root;
    ProviderFixture fixture;
    ProviderServer server;
    BitbucketServerFake bitbucket;

    @BeforeEach
    void start() throws Exception {
        fixture = new ProviderFixture(root, "bot", TOKEN);
        server = new ProviderServer(fixture.certificates, "Authorization",
                "Basic " + Base64.getEncoder().encodeToString(("bot:" + TOKEN).getBytes(StandardCharsets.UTF_8)));
        // Bitbucket's http clone link names the user: bootstrap must not copy it into the sync URL
        String href = fixture.httpsUrl().replace("https://", "https://bot@");
        bitbucket = new BitbucketServerFake(server, href, fixture.sshUrl(), fixture.ssh::authorize);
        bitbucket.projects.add("ACME");
    }

    @AfterEach
    void stop() {
        server.close();
        fixture.close();
    }

    @Test
    void createsTheProjectRepositoryGivesTheGroupWriteAccessAndRegistersTheAccessKeyThenTokenAuthSwitchesToHttps() throws Exception {
        String ns = "bbs";
        CommandResult r = bootstrap(ns, "--group", "devs");

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.TIMEOUT);
        assertThat(server.violations()).isEmpty();
        assertThat(server.log()).containsExactly("GET /rest/api/1.0/projects/ACME", "GET /rest/api/1.0/projects/ACME/repos/fleet",
                "POST /rest/api/1.0/projects/ACME/repos", "GET /rest/api/1.0/projects/ACME/repos/fleet/permissions/groups?filter=devs",
                "PUT /rest/api/1.0/projects/ACME/repos/fleet/permissions/groups?permission=REPO_WRITE&name=devs",
                "GET /rest/keys/1.0/projects/ACME/repos/fleet/ssh", "POST /rest/keys/1.0/projects/ACME/repos/fleet/ssh");
        assertThat(bitbucket.groupPermissions).containsExactly(Map.entry("devs", "REPO_WRITE"));
        assertThat(bitbucket.keys.get(0).get("permission").asText()).isEqualTo("REPO_READ");
        Map<String, String> secret = fixture.secret(ns, ns);
        assertThat(secret.get("identity.pub").trim()).isEqualTo(bitbucket.keys.get(0).get("text").asText());
        assertThat(fixture.headOverSshWith(secret)).isEqualTo(fixture.repo.head("main"));

        // --token-auth: the cluster syncs over HTTPS as --username with the token; one new commit changes the URL
        server.clearLog();
        CommandResult tokenAuth = bootstrap(ns, "--group", "devs", "--token-auth");
        assertThat(tokenAuth.code()).as(tokenAuth.toString()).isEqualTo(ExitCodes.TIMEOUT);
        assertThat(server.log()).containsExactly("GET /rest/api/1.0/projects/ACME", "GET /rest/api/1.0/projects/ACME/repos/fleet",
                "GET /rest/api/1.0/projects/ACME/repos/fleet/permissions/groups?filter=devs");
        assertThat(fixture.secret(ns, ns)).containsEntry("username", "bot").containsEntry("password", TOKEN);
        assertThat(ControlPlane.shared().client().genericKubernetesResources("source.toolkit.fluxcd.io/v1", "GitRepository")
                .inNamespace(ns).withName(ns).get().get("spec", "url").toString()).isEqualTo(fixture.httpsUrl());
        assertThat(server.violations()).isEmpty();
    }

    @Test
    void anUnknownProjectIsOneSentence() {
        CommandResult r = fixture.bootstrap("bootstrap", "bitbucket-server", "--owner", "NOPE", "--repository", "fleet", "--username", "bot",
                "--hostname", server.host(), "--ca-file", fixture.caFile.toString(), "-n", "bbs-nope");
        assertThat(r.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err()).endsWith("✗ the Bitbucket Server project \"NOPE\" does not exist or the token cannot see it\n");
        assertThat(server.log()).isEqualTo(List.of("GET /rest/api/1.0/projects/NOPE"));
    }

    private CommandResult bootstrap(String ns, String... extra) {
        java.util.List<String> args = new java.util.ArrayList<>(List.of("bootstrap", "bitbucket-server", "--owner", "ACME",
                "--repository", "fleet", "--username", "bot", "--hostname", server.host(), "--ca-file", fixture.caFile.toString(),
                "-n", ns, "--local-controllers", "--timeout", "3s"));
        args.addAll(List.of(extra));
        return fixture.bootstrap(args.toArray(String[]::new));
    }
}
