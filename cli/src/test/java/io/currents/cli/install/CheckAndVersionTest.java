package io.currents.cli.install;

import io.currents.cli.CommandResult;
import io.currents.cli.output.ExitCodes;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code currents check} and {@code currents version} against an installation on a real API server. */
@Tag("cluster")
class CheckAndVersionTest {

    static final String NS = "check-installed";

    @BeforeAll
    static void install() {
        CommandResult r = CommandResult.onCluster("install", "-n", NS, "--local-controllers", "--timeout", "90s");
        assertThat(r.code()).as(r.toString()).isZero();
    }

    @Test
    void preChecksTheKubernetesVersion() {
        CommandResult r = CommandResult.onCluster("check", "--pre");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).isEqualTo("► checking prerequisites\n✔ Kubernetes 1.20.2 >=1.20.0-0\n✔ prerequisites checks passed\n");
    }

    @Test
    void checkReportsReadyControllersTheirImagesAndTheCrds() {
        CommandResult r = CommandResult.onCluster("check", "-n", NS);
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).startsWith("► checking prerequisites\n✔ Kubernetes 1.20.2 >=1.20.0-0\n► checking version in cluster\n"
                        + "✔ distribution: currents-" + Version.tag() + "\n✔ bootstrapped: false\n► checking controllers\n"
                        + "✔ helm-controller: deployment ready\n► ghcr.io/currents-dev/helm-controller:" + Version.tag() + "\n"
                        + "✔ kustomize-controller: deployment ready\n► ghcr.io/currents-dev/kustomize-controller:" + Version.tag() + "\n"
                        + "✔ notification-controller: deployment ready\n► ghcr.io/currents-dev/notification-controller:" + Version.tag() + "\n"
                        + "✔ source-controller: deployment ready\n► ghcr.io/currents-dev/source-controller:" + Version.tag() + "\n"
                        + "► checking crds\n")
                .contains("✔ gitrepositories.source.toolkit.fluxcd.io/v1\n", "✔ kustomizations.kustomize.toolkit.fluxcd.io/v1\n",
                        "✔ helmreleases.helm.toolkit.fluxcd.io/v2\n", "✔ alerts.notification.toolkit.fluxcd.io/v1beta3\n")
                .endsWith("✔ all checks passed\n");
    }

    @Test
    void componentsLimitTheCheckAndAMissingOneFailsAfterTheTimeout() {
        CommandResult two = CommandResult.onCluster("check", "-n", NS, "--components", "source-controller,kustomize-controller");
        assertThat(two.code()).as(two.toString()).isZero();
        assertThat(two.err()).contains("✔ kustomize-controller: deployment ready\n", "✔ source-controller: deployment ready\n")
                .doesNotContain("helm-controller");
        long start = System.nanoTime();
        CommandResult extra = CommandResult.onCluster("check", "-n", NS, "--components", "source-controller",
                "--components-extra", "image-automation-controller", "--timeout", "3s", "--poll-interval", "1s");
        assertThat(extra.code()).as(extra.toString()).isEqualTo(1);
        assertThat(extra.err()).contains("✗ image-automation-controller: deployment not found in namespace " + NS + "\n")
                .endsWith("✗ check failed\n");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).as("waited for --timeout").isGreaterThan(java.time.Duration.ofSeconds(2));
        CommandResult unknown = CommandResult.onCluster("check", "-n", NS, "--components", "nope");
        assertThat(unknown.code()).isEqualTo(2);
    }

    @Test
    void checkFailsWhereNothingIsInstalled() {
        CommandResult r = CommandResult.onCluster("check", "-n", "nothing-here");
        assertThat(r.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err()).contains("✗ no Currents installation found in namespace nothing-here; install it with 'currents install' or 'currents bootstrap git'\n",
                "✗ no controllers found in namespace nothing-here; install them with 'currents install'\n").endsWith("✗ check failed\n");
    }

    @Test
    void versionPrintsTheCliAndTheInstalledControllers() {
        CommandResult r = CommandResult.onCluster("version", "-n", NS);
        assertThat(r.code()).as(r.toString()).isZero();
        String v = Version.tag();
        assertThat(r.out()).isEqualTo("currents: " + v + "\ndistribution: currents-" + v + "\nhelm-controller: " + v
                + "\nkustomize-controller: " + v + "\nnotification-controller: " + v + "\nsource-controller: " + v + "\n");
        CommandResult json = CommandResult.onCluster("version", "-n", NS, "-o", "json");
        assertThat(json.out()).isEqualTo("{\n    \"currents\": \"" + v + "\",\n    \"distribution\": \"currents-" + v
                + "\",\n    \"helm-controller\": \"" + v + "\",\n    \"kustomize-controller\": \"" + v
                + "\",\n    \"notification-controller\": \"" + v + "\",\n    \"source-controller\": \"" + v + "\"\n}\n");
        assertThat(CommandResult.run("version", "--client").out()).isEqualTo("currents: " + v + "\n");
    }

    @Test
    void anUnreachableClusterIsOneSentenceSayingWhatToCheck(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path kubeconfig = tmp.resolve("kubeconfig");
        int port = io.currents.testkit.ControlPlane.freePort();
        java.nio.file.Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: c
                  cluster:
                    server: https://127.0.0.1:%d
                contexts:
                - name: c
                  context:
                    cluster: c
                    user: u
                current-context: c
                users:
                - name: u
                  user:
                    token: t
                """.formatted(port));
        CommandResult r = CommandResult.run("check", "--pre", "--kubeconfig", kubeconfig.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err()).endsWith("✗ cannot reach the Kubernetes API server (connection refused); check --kubeconfig, --context and that the cluster is running\n");
    }
}
