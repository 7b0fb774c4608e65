package io.currents.cli.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code create ... --export} prints each kind's YAML as flux does (sorted keys, Go durations, --- first). */
class CreateExportTest {

    private static String export(String golden, String... args) {
        Cli.Run r = Cli.run(args);
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        Cli.assertGolden("create/" + golden, r.out());
        return r.out();
    }

    @Test
    void gitRepositoryWithBranchAndIgnorePaths() {
        export("source-git.yaml", "create", "source", "git", "podinfo", "--url=https://github.com/stefanprodan/podinfo",
                "--branch=master", "--ignore-paths=.cosign,non-existent-dir/", "-n", "default", "--export");
    }

    @Test
    void gitRepositoryWithCredentialsReferencesASecretOfItsName() {
        String out = export("source-git-auth.yaml", "create", "source", "git", "private", "--url=https://example.com/repo.git",
                "--tag-semver=>=1.0.0", "-u", "git", "-p", "secret", "--interval=10m", "--export");
        assertThat(out).doesNotContain("secret\n").contains("secretRef:\n    name: private");
    }

    @Test
    void helmRepositoryOciAndHttps() {
        export("source-helm.yaml", "create", "source", "helm", "podinfo", "--url=https://stefanprodan.github.io/podinfo",
                "--interval=10m", "--export");
        export("source-helm-oci.yaml", "create", "source", "helm", "podinfo", "--url=oci://ghcr.io/stefanprodan/charts",
                "--secret-ref=ghcr", "--export");
    }

    @Test
    void ociRepository() {
        export("source-oci.yaml", "create", "source", "oci", "podinfo", "--url=oci://ghcr.io/stefanprodan/manifests/podinfo",
                "--tag=6.3.5", "--interval=10m", "--export");
    }

    @Test
    void bucket() {
        export("source-bucket.yaml", "create", "source", "bucket", "podinfo", "--bucket-name=podinfo",
                "--endpoint=minio.minio.svc.cluster.local:9000", "--insecure", "--secret-ref=minio", "--export");
        export("source-bucket-gcp.yaml", "create", "source", "bucket", "manifests", "--bucket-name=manifests", "--provider=gcp",
                "--endpoint=storage.googleapis.com", "--secret-ref=gcs-key", "--ignore-paths=*.md,docs/", "--export");
        export("source-bucket-azure.yaml", "create", "source", "bucket", "manifests", "--bucket-name=manifests", "--provider=azure",
                "--endpoint=https://currents.blob.core.windows.net", "--export");
    }

    @Test
    void kustomization() {
        export("kustomization.yaml", "create", "kustomization", "podinfo", "--source=podinfo", "--path=./kustomize",
                "--prune", "--interval=5m", "--target-namespace=apps", "--depends-on=infra", "--health-check=Deployment/podinfo.apps",
                "--health-check-timeout=2m", "--wait", "--export");
        export("kustomization-minimal.yaml", "create", "ks", "apps", "--source=OCIRepository/manifests.flux-system", "--export");
    }

    @Test
    void helmRelease(@TempDir Path dir) throws Exception {
        export("helmrelease.yaml", "create", "helmrelease", "podinfo", "--source=HelmRepository/podinfo", "--chart=podinfo", "--export");
        Path values = dir.resolve("values.yaml");
        Files.writeString(values, "replicaCount: 2\nservice:\n  type: ClusterIP\n");
        export("helmrelease-values.yaml", "create", "hr", "podinfo", "--source=HelmRepository/podinfo.flux-system",
                "--chart=podinfo", "--chart-version=>=6.0.0", "--target-namespace=apps", "--create-target-namespace",
                "--values=" + values, "--export");
    }

    @Test
    void notificationObjects() {
        export("alert.yaml", "create", "alert", "podinfo", "--provider-ref=slack", "--event-source=Kustomization/podinfo,GitRepository/*",
                "--event-severity=info", "--export");
        export("alert-provider.yaml", "create", "alert-provider", "slack", "--type=slack", "--channel=general",
                "--secret-ref=webhook-url", "--export");
        export("receiver.yaml", "create", "receiver", "github", "--type=github", "--event=ping,push",
                "--resource=GitRepository/podinfo", "--secret-ref=token", "--export");
    }

    @Test
    void imageAutomationObjects() {
        export("image-repository.yaml", "create", "image", "repository", "podinfo", "--image=ghcr.io/stefanprodan/podinfo",
                "--interval=5m", "--export");
        export("image-policy.yaml", "create", "image", "policy", "podinfo", "--image-ref=podinfo", "--select-semver=5.0.x",
                "--export");
        export("image-update.yaml", "create", "image", "update", "podinfo", "--git-repo-ref=podinfo", "--git-repo-path=./clusters",
                "--checkout-branch=main", "--author-name=fluxbot", "--author-email=fluxbot@example.com", "--export");
    }

    @Test
    void gitSecretWithBasicAuth() {
        export("secret-git.yaml", "create", "secret", "git", "podinfo-auth", "--url=https://github.com/stefanprodan/podinfo",
                "-u", "my-username", "-p", "my-password", "-n", "my-namespace", "--export");
    }

    @Test
    void helmChartFromAHelmRepositoryAndFromGit() {
        export("source-chart.yaml", "create", "source", "chart", "podinfo", "--source=HelmRepository/podinfo",
                "--chart=podinfo", "--chart-version=6.x", "--interval=10m", "--export");
        export("source-chart-git.yaml", "create", "source", "chart", "podinfo", "--source=GitRepository/podinfo",
                "--chart=./charts/podinfo", "--reconcile-strategy=Revision", "--export");
    }

    @Test
    void helmChartWithSignatureVerificationAsFluxWritesIt() {
        export("source-chart-verify.yaml", "create", "source", "chart", "podinfo", "--source=HelmRepository/podinfo",
                "--chart=podinfo", "--verify-provider=cosign", "--verify-secret-ref=cosign-pub",
                "--verify-issuer=^https://token.actions.githubusercontent.com$", "--verify-subject=^https://github.com/stefanprodan/.*$",
                "--export");
        Cli.Run noProvider = Cli.run("create", "source", "chart", "c", "--source=HelmRepository/r", "--chart=c",
                "--verify-secret-ref=keys", "--export");
        assertThat(noProvider.code()).isEqualTo(2);
        assertThat(noProvider.err()).isEqualTo("✗ a verification provider must be specified when a secret is specified\n");
        Cli.Run identity = Cli.run("create", "source", "chart", "c", "--source=HelmRepository/r", "--chart=c",
                "--verify-issuer=x", "--export");
        assertThat(identity.err()).isEqualTo("✗ a verification provider must be specified when OIDC issuer/subject is specified\n");
    }

    @Test
    void helmOciAndTlsSecrets(@TempDir Path dir) throws Exception {
        Path crt = dir.resolve("client.crt");
        Path key = dir.resolve("client.key");
        Path ca = dir.resolve("ca.crt");
        Files.writeString(crt, "-----BEGIN CERTIFICATE-----\nY2VydA==\n-----END CERTIFICATE-----\n");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\na2V5\n-----END PRIVATE KEY-----\n");
        Files.writeString(ca, "-----BEGIN CERTIFICATE-----\nY2E=\n-----END CERTIFICATE-----\n");
        export("secret-helm.yaml", "create", "secret", "helm", "repo-auth", "-u", "my-username", "-p", "my-password",
                "--ca-crt-file=" + ca, "-n", "my-namespace", "--export");
        export("secret-oci.yaml", "create", "secret", "oci", "ghcr-auth", "--url=oci://ghcr.io/stefanprodan/charts",
                "-u", "my-username", "-p", "my-token", "--export");
        export("secret-tls.yaml", "create", "secret", "tls", "certs", "--tls-crt-file=" + crt, "--tls-key-file=" + key,
                "--ca-crt-file=" + ca, "--export");
        Cli.Run half = Cli.run("create", "secret", "tls", "certs", "--tls-crt-file=" + crt, "--export");
        assertThat(half.code()).isEqualTo(2);
        assertThat(half.err()).contains("--tls-crt-file and --tls-key-file go together");
        Cli.Run badSource = Cli.run("create", "source", "chart", "c", "--source=OCIRepository/x", "--chart=c", "--export");
        assertThat(badSource.code()).isEqualTo(2);
        assertThat(badSource.err()).contains("use HelmRepository, GitRepository or Bucket");
    }

    @Test
    void proxyGithubAppAndReceiverSecrets(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("app.pem");
        Files.writeString(key, "-----BEGIN RSA PRIVATE KEY-----\na2V5\n-----END RSA PRIVATE KEY-----\n");
        export("secret-proxy.yaml", "create", "secret", "proxy", "corp-proxy", "--address=http://proxy.example.com:3128",
                "-u", "proxy-user", "-p", "proxy-pass", "--export");
        export("secret-githubapp.yaml", "create", "secret", "githubapp", "gh-app", "--app-id=1", "--app-installation-id=2",
                "--app-private-key=" + key, "--export");
        // the URL's digest is sha256("my-token" + "github-receiver" + "currents-system"), computed independently here
        String digest = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest("my-tokengithub-receivercurrents-system".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        String receiver = export("secret-receiver.yaml", "create", "secret", "receiver", "github-receiver", "--type=github",
                "--token=my-token", "--hostname=flux.example.com", "--export");
        assertThat(receiver).contains("notification.toolkit.fluxcd.io/webhook: https://flux.example.com/hook/" + digest);
        Cli.Run random = Cli.run("create", "secret", "receiver", "r", "--type=gitlab", "--hostname=h", "--export");
        assertThat(random.out()).containsPattern("token: [0-9a-f]{64}\n");
        Cli.Run gcr = Cli.run("create", "secret", "receiver", "r", "--type=gcr", "--hostname=h", "--export");
        assertThat(gcr.code()).isEqualTo(2);
        assertThat(gcr.err()).isEqualTo("✗ --email-claim is required for gcr receiver type\n");
        Cli.Run noAddress = Cli.run("create", "secret", "proxy", "p", "--export");
        assertThat(noAddress.code()).isEqualTo(2);
        assertThat(noAddress.err()).contains("--address");
    }

    @Test
    void tenant() {
        export("tenant.yaml", "create", "tenant", "dev-team", "--with-namespace=frontend", "--with-namespace=backend",
                "--label=environment=dev", "--export");
        String skipped = export("tenant-skip-namespace.yaml", "create", "tenant", "dev-team", "--with-namespace=frontend",
                "--skip-namespace", "--cluster-role=view", "--with-service-account=deployer", "--export");
        assertThat(skipped).doesNotContain("kind: Namespace");
        Cli.Run bad = Cli.run("create", "tenant", "Dev Team", "--with-namespace=x", "--export");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).startsWith("✗ invalid tenant name 'Dev Team'");
    }

    @Test
    void badInputIsOneSentenceOnStderr() {
        Cli.Run noRef = Cli.run("create", "source", "git", "x", "--url=https://example.com/x", "--export");
        assertThat(noRef.code()).isEqualTo(2);
        assertThat(noRef.out()).isEmpty();
        assertThat(noRef.err()).contains("a Git ref is required; use one of --branch");
        Cli.Run scheme = Cli.run("create", "source", "git", "x", "--url=ftp://example.com/x", "--branch=main", "--export");
        assertThat(scheme.err()).contains("git URL scheme 'ftp' is not supported");
        Cli.Run policy = Cli.run("create", "image", "policy", "p", "--image-ref=r", "--export");
        assertThat(policy.err()).contains("exactly one of --select-semver");
    }
}
