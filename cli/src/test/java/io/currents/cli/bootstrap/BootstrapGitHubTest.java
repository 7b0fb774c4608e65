package io.currents.cli.bootstrap;

import io.currents.cli.CommandResult;
import io.currents.cli.ops.Cli;
import io.currents.cli.output.ExitCodes;
import io.currents.testkit.ControlPlane;
import io.currents.testkit.git.GitHttpServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code currents bootstrap github} against a fake of GitHub's REST API (HTTPS on loopback, every request checked), the
 * real Git servers its clone URLs point at, and the shared control plane. No controller runs: each run ends in the
 * sync wait's timeout (exit 3) once everything else is done.
 */
@Tag("cluster")
class BootstrapGitHubTest {

    private static final String TOKEN = "ghp_test0123456789";

    @TempDir
    Path root;
    ProviderFixture fixture;
    ProviderServer server;
    GitHubFake github;

    @BeforeEach
    void start() throws Exception {
        fixture = new ProviderFixture(root, "acme", TOKEN);
        server = new ProviderServer(fixture.certificates, "Authorization", "Bearer " + TOKEN);
        github = new GitHubFake(server, false, "jane", fixture.httpsUrl(), fixture.sshUrl(), fixture.ssh::authorize);
    }

    @AfterEach
    void stop() {
        server.close();
        fixture.close();
    }

    @Test
    void createsTheOrganizationRepositoryGivesTheTeamsAccessRegistersTheDeployKeyAndRerunsChangeNothing() throws Exception {
        String ns = "gh-org";
        CommandResult first = bootstrap(ns, "--owner", "acme", "--team", "platform:admin,ops");

        assertThat(first.code()).as(first.toString()).isEqualTo(ExitCodes.TIMEOUT);
        assertThat(server.violations()).isEmpty();
        assertThat(server.log()).containsExactly(
                "GET /api/v3/repos/acme/fleet",
                "POST /api/v3/orgs/acme/repos",
                "GET /api/v3/orgs/acme/teams/platform/repos/acme/fleet",
                "PUT /api/v3/orgs/acme/teams/platform/repos/acme/fleet",
                "GET /api/v3/orgs/acme/teams/ops/repos/acme/fleet",
                "PUT /api/v3/orgs/acme/teams/ops/repos/acme/fleet",
                "GET /api/v3/repos/acme/fleet/keys",
                "POST /api/v3/repos/acme/fleet/keys");
        assertThat(github.repos.get("acme/fleet").get("private").asBoolean()).as("--private defaults to true").isTrue();
        assertThat(github.teamAccess).containsExactly(Map.entry("platform@acme/fleet", "admin"), Map.entry("ops@acme/fleet", "maintain"));
        String keyName = ns + "-main-" + ns + "-./clusters/prod";
        assertThat(first.err()).contains("► connecting to " + server.host(),
                "✔ repository \"https://" + server.host() + "/acme/fleet\" created",
                "✔ granted \"admin\" permissions to \"platform\"",
                "✔ public key: ecdsa-sha2-nistp384 ",
                "✔ configured deploy key \"" + keyName + "\" for \"https://" + server.host() + "/acme/fleet\"",
                "✔ pushed component manifests");
        assertThat(first.err()).doesNotContain(TOKEN);
        Cli.assertGolden("bootstrap/github-org-first-run.txt", first.err()
                .replace(server.host(), "<api>").replace(fixture.httpsUrl(), "<https-clone-url>")
                .replaceAll("\\(\"[0-9a-f]{40}\"\\)", "(\"<sha>\")")
                .replaceAll("public key: (\\S+) \\S+", "public key: $1 <key>")
                .replaceAll("host key \\S+ (\\S+) \\S+", "host key <sshd> $1 <key>"));

        // the sync objects read the repository over SSH with the deploy key, which GitHub now accepts
        String head = fixture.repo.head("main");
        assertThat(fixture.read(head, "clusters/prod/" + ns + "/currents-sync.yaml"))
                .contains("  url: " + fixture.sshUrl() + "\n", "  secretRef:\n    name: " + ns + "\n");
        Map<String, String> secret = fixture.secret(ns, ns);
        assertThat(secret).containsOnlyKeys("identity", "identity.pub", "known_hosts")
                .containsEntry("known_hosts", fixture.ssh.knownHostsLine() + "\n");
        assertThat(github.keys).hasSize(1);
        assertThat(github.keys.get(0).get("title").asText()).isEqualTo(keyName);
        assertThat(github.keys.get(0).get("read_only").asBoolean()).isTrue();
        assertThat(secret.get("identity.pub").trim()).isEqualTo(github.keys.get(0).get("key").asText());
        assertThat(fixture.headOverSshWith(secret)).isEqualTo(head);

        // again: the repository exists, the teams have access, the Secret is there: nothing changes
        server.clearLog();
        CommandResult second = bootstrap(ns, "--owner", "acme", "--team", "platform:admin,ops");
        assertThat(second.code()).as(second.toString()).isEqualTo(ExitCodes.TIMEOUT);
        assertThat(server.log()).containsExactly("GET /api/v3/repos/acme/fleet",
                "GET /api/v3/orgs/acme/teams/platform/repos/acme/fleet", "GET /api/v3/orgs/acme/teams/ops/repos/acme/fleet");
        assertThat(second.err()).contains("✔ component manifests are up to date", "✔ source secret " + ns + "/" + ns + " up to date");
        assertThat(fixture.repo.head("main")).isEqualTo(head);
        assertThat(fixture.secret(ns, ns)).isEqualTo(secret);

        // the Secret lost: a new key replaces the one of the same name (GitHub cannot edit a key: delete, then add)
        fixture.deleteSecret(ns, ns);
        server.clearLog();
        CommandResult third = bootstrap(ns, "--owner", "acme", "--read-write-key");
        assertThat(third.code()).as(third.toString()).isEqualTo(ExitCodes.TIMEOUT);
        assertThat(server.log()).containsExactly("GET /api/v3/repos/acme/fleet", "GET /api/v3/repos/acme/fleet/keys",
                "DELETE /api/v3/repos/acme/fleet/keys/1", "POST /api/v3/repos/acme/fleet/keys");
        assertThat(github.keys).hasSize(1);
        assertThat(github.keys.get(0).get("read_only").asBoolean()).as("--read-write-key").isFalse();
        Map<String, String> renewed = fixture.secret(ns, ns);
        assertThat(renewed.get("identity")).isNotEqualTo(secret.get("identity"));
        assertThat(fixture.headOverSshWith(renewed)).isEqualTo(head);
        assertThat(server.violations()).isEmpty();
    }

    @Test
    void anExistingPersonalRepositoryIsReconciledAndTokenAuthStoresTheTokenForHttps() throws Exception {
        // bootstrap pushes as the owner with the token as password
        try (GitHttpServer janes = GitHttpServer.builder(root).tls(fixture.certificates).basicAuth("jane", TOKEN).start()) {
            github.existing("jane", "fleet", true, janes.url(fixture.repo), fixture.sshUrl());
            tokenAuth(janes.url(fixture.repo));
        }
    }

    private void tokenAuth(String cloneUrl) {
        String ns = "gh-token";
        CommandResult r = bootstrap(ns, "--owner", "jane", "--personal", "--private=false", "--reconcile", "--token-auth",
                "--secret-name", "fleet-auth");

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.TIMEOUT);
        assertThat(server.violations()).isEmpty();
        assertThat(server.log()).containsExactly("GET /api/v3/repos/jane/fleet", "PATCH /api/v3/repos/jane/fleet");
        assertThat(github.repos.get("jane/fleet").get("private").asBoolean()).isFalse();
        assertThat(fixture.secret(ns, "fleet-auth")).containsOnlyKeys("username", "password", "ca.crt")
                .containsEntry("username", "git").containsEntry("password", TOKEN)
                .containsEntry("ca.crt", fixture.certificates.caCertificatePem());
        GenericKubernetesResource source = ControlPlane.shared().client()
                .genericKubernetesResources("source.toolkit.fluxcd.io/v1", "GitRepository").inNamespace(ns).withName(ns).get();
        assertThat(source.get("spec", "url").toString()).isEqualTo(cloneUrl);
        assertThat(source.get("spec", "secretRef", "name").toString()).isEqualTo("fleet-auth");
    }

    @Test
    void aPersonalRepositoryForSomeoneElseIsRefusedBeforeAnythingIsCreated() {
        CommandResult r = bootstrap("gh-other", "--owner", "someone", "--personal");
        assertThat(r.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err()).endsWith("✗ the specified owner 'someone' doesn't match the identity associated with the given token\n");
        assertThat(server.log()).containsExactly("GET /api/v3/repos/someone/fleet", "GET /api/v3/user");
        assertThat(github.repos).isEmpty();
    }

    private CommandResult bootstrap(String ns, String... extra) {
        List<String> args = new ArrayList<>(List.of("bootstrap", "github", "--repository", "fleet", "--hostname", server.host(),
                "--ca-file", fixture.caFile.toString(), "--path", "clusters/prod", "-n", ns, "--local-controllers", "--timeout", "3s"));
        args.addAll(List.of(extra));
        return fixture.bootstrap(args.toArray(String[]::new));
    }
}
