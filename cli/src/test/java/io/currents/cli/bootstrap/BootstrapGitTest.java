package io.currents.cli.bootstrap;

import io.currents.cli.CommandResult;
import io.currents.cli.install.Version;
import io.currents.cli.output.ExitCodes;
import io.currents.testkit.ControlPlane;
import io.currents.testkit.git.GitHttpServer;
import io.currents.testkit.git.GitSshServer;
import io.currents.testkit.git.SshKeyPair;
import io.currents.testkit.git.TestRepo;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code currents bootstrap git} against a real Git server over HTTP and a real API server. No controller runs in
 * these tests, so the final wait for the sync objects is tested both ways: it times out with a clear message, and
 * it ends once something reports Ready (here the test, writing the status a controller would write).
 */
@Tag("cluster")
class BootstrapGitTest {

    @TempDir
    Path root;
    TestRepo repo;
    GitHttpServer server;

    @BeforeEach
    void startGitServer() {
        ControlPlane.shared().applyCrds(ControlPlane.projectRoot().resolve("manifests").resolve("crds"));
        repo = TestRepo.create(root, "fleet");
        server = GitHttpServer.builder(root).basicAuth("git-user", "s3cret").start();
    }

    @AfterEach
    void stopGitServer() {
        server.close();
        repo.close();
    }

    @Test
    void anEmptyRepositoryGetsTheManifestsAndTheClusterIsInstalledThenRerunsChangeNothingAndOtherFlagsUpgradeInPlace() throws Exception {
        String ns = "boot-empty";
        KubernetesClient client = ControlPlane.shared().client();
        CommandResult first = bootstrap(ns, "--timeout", "20s");

        // no controller runs here: the wait ends in a timeout that says what to do
        assertThat(first.code()).as(first.toString()).isEqualTo(ExitCodes.TIMEOUT);
        assertThat(first.err()).contains("► cloning branch \"main\" from Git repository \"" + server.url(repo) + "\"",
                        "✔ committed component manifests to \"main\"", "✔ pushed component manifests",
                        "✔ source-controller: deployment ready", "✔ configured Git credentials Secret")
                .endsWith("✗ GitRepository \"" + ns + "/" + ns + "\" was not reconciled within 20s (no status yet: no controller has "
                        + "reconciled it); the manifests are in Git and applied, so the cluster syncs once source-controller runs: "
                        + "check it with 'currents check'\n");

        String commit = repo.head("main");
        assertThat(commit).isNotNull();
        String dir = "clusters/dev/" + ns + "/";
        assertThat(files(commit)).containsExactlyInAnyOrder(dir + "currents-components.yaml", dir + "currents-sync.yaml", dir + "kustomization.yaml");
        assertThat(read(commit, dir + "currents-sync.yaml")).isEqualTo("""
                ---
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: GitRepository
                metadata:
                  name: %1$s
                  namespace: %1$s
                spec:
                  interval: 1m0s
                  ref:
                    branch: main
                  secretRef:
                    name: %1$s
                  url: %2$s
                ---
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata:
                  name: %1$s
                  namespace: %1$s
                spec:
                  interval: 10m0s
                  path: ./clusters/dev
                  prune: true
                  sourceRef:
                    kind: GitRepository
                    name: %1$s
                """.formatted(ns, server.url(repo)));
        assertThat(read(commit, dir + "kustomization.yaml")).isEqualTo("""
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - currents-components.yaml
                  - currents-sync.yaml
                patches:
                  # --local-controllers: the controllers run as processes outside the cluster, so no pods
                  - target:
                      kind: Deployment
                      labelSelector: control-plane=controller
                    patch: |
                      - op: replace
                        path: /spec/replicas
                        value: 0
                """);
        assertThat(read(commit, dir + "currents-components.yaml"))
                .startsWith("---\n# Currents version: " + Version.tag()
                        + "\n# Components: source-controller,kustomize-controller,helm-controller,notification-controller\n")
                .contains("kind: Deployment", "namespace: " + ns);

        Secret secret = client.secrets().inNamespace(ns).withName(ns).get();
        assertThat(decode(secret.getData())).containsEntry("username", "git-user").containsEntry("password", "s3cret");
        GenericKubernetesResource sync = client.genericKubernetesResources("kustomize.toolkit.fluxcd.io/v1", "Kustomization")
                .inNamespace(ns).withName(ns).get();
        assertThat(sync.get("spec", "path").toString()).isEqualTo("./clusters/dev");
        assertThat(client.apps().deployments().inNamespace(ns).withName("kustomize-controller").get().getSpec().getReplicas()).isZero();

        // the same flags again: nothing to commit
        CommandResult second = bootstrap(ns, "--timeout", "5s");
        assertThat(second.code()).as(second.toString()).isEqualTo(ExitCodes.TIMEOUT);
        assertThat(second.err()).contains("✔ component manifests are up to date").doesNotContain("committed");
        assertThat(repo.head("main")).isEqualTo(commit);

        // other flags: a new commit on top of the first one, and the cluster upgraded in place
        CommandResult third = bootstrap(ns, "--timeout", "5s", "--registry", "mirror.example.com/currents", "--network-policy=false",
                "--components-extra", "image-automation-controller");
        assertThat(third.code()).as(third.toString()).isEqualTo(ExitCodes.TIMEOUT);
        String upgrade = repo.head("main");
        assertThat(upgrade).isNotEqualTo(commit);
        assertThat(parent(upgrade)).isEqualTo(commit);
        assertThat(read(upgrade, dir + "currents-components.yaml")).doesNotContain("NetworkPolicy")
                .contains("image: mirror.example.com/currents/source-controller:" + Version.tag());
        assertThat(client.apps().deployments().inNamespace(ns).withName("source-controller").get().getSpec().getTemplate().getSpec()
                .getContainers().get(0).getImage()).isEqualTo("mirror.example.com/currents/source-controller:" + Version.tag());
        assertThat(client.apps().deployments().inNamespace(ns).withName("image-automation-controller").get())
                .as("the extra component is added in place").isNotNull();
        assertThat(client.apiextensions().v1().customResourceDefinitions().withName("imagepolicies.image.toolkit.fluxcd.io").get())
                .isNotNull();
    }

    @Test
    void anExistingBranchKeepsItsFilesAndGetsOneCommitOnTop() throws Exception {
        String before = repo.commit("main", Map.of("README.md", "fleet\n", "clusters/dev/apps/app.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  namespace: default\n"), "Add the app");
        String ns = "boot-existing";
        CommandResult r = CommandResult.onCluster("bootstrap", "git", "--url", server.url(repo), "--path", "clusters/dev",
                "--username", "git-user", "--password", "s3cret", "--allow-insecure-http", "-n", ns, "--local-controllers", "--timeout", "3s",
                "--author-name", "Platform Team", "--author-email", "platform@example.com");
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.TIMEOUT);
        String after = repo.head("main");
        assertThat(parent(after)).isEqualTo(before);
        assertThat(files(after)).contains("README.md", "clusters/dev/apps/app.yaml", "clusters/dev/" + ns + "/currents-sync.yaml");
        try (Repository r2 = open(); RevWalk walk = new RevWalk(r2)) {
            RevCommit c = walk.parseCommit(ObjectId.fromString(after));
            assertThat(c.getAuthorIdent().getName()).isEqualTo("Platform Team");
            assertThat(c.getAuthorIdent().getEmailAddress()).isEqualTo("platform@example.com");
            assertThat(c.getFullMessage()).isEqualTo("Add Currents " + Version.tag() + " component manifests");
        }
    }

    @Test
    void theWaitEndsWhenTheSourceAndTheSyncKustomizationReportReady() {
        String ns = "boot-ready";
        // stands in for source-controller and kustomize-controller: report Ready once the objects exist
        CompletableFuture<Void> controllers = CompletableFuture.runAsync(() -> {
            markReady("source.toolkit.fluxcd.io/v1", "GitRepository", ns);
            markReady("kustomize.toolkit.fluxcd.io/v1", "Kustomization", ns);
        });
        CommandResult r = bootstrap(ns, "--timeout", "90s");
        controllers.join();
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).endsWith("""
                ✔ applied sync manifests
                ◎ waiting for GitRepository "%1$s/%1$s" to be reconciled
                ✔ GitRepository reconciled successfully
                ◎ waiting for Kustomization "%1$s/%1$s" to be reconciled
                ✔ Kustomization reconciled successfully
                ✔ bootstrap finished
                """.formatted(ns));
    }

    @Test
    void wrongCredentialsAreOneSentenceAndNothingIsInstalled() {
        CommandResult r = CommandResult.onCluster("bootstrap", "git", "--url", server.url(repo), "--path", "clusters/dev",
                "--username", "git-user", "--password", "wrong", "--allow-insecure-http", "-n", "boot-denied");
        assertThat(r.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err()).endsWith("✗ cannot read the Git repository: authentication to " + server.url(repo)
                + " failed: not authorized; check --url and the credentials (--username/--password or --private-key-file)\n")
                .doesNotContain("wrong");
        assertThat(ControlPlane.shared().client().namespaces().withName("boot-denied").get()).isNull();
    }

    @Test
    void overSshTheKeyAndTheRecordedHostKeyGoIntoTheSecret() throws Exception {
        SshKeyPair key = SshKeyPair.ed25519();
        Path keyFile = root.resolve("id_ed25519");
        Files.write(keyFile, key.privateKey());
        String ns = "boot-ssh";
        try (GitSshServer ssh = GitSshServer.start(root, List.of(key.publicKey()))) {
            CommandResult r = CommandResult.onCluster("bootstrap", "git", "--url", ssh.url(repo), "--path", "clusters/dev",
                    "--private-key-file", keyFile.toString(), "-n", ns, "--local-controllers", "--timeout", "5s");
            assertThat(r.code()).as(r.toString() + ssh.log()).isEqualTo(ExitCodes.TIMEOUT);
            assertThat(r.err()).contains("✔ recorded SSH host key " + ssh.knownHostsLine(), "✔ pushed component manifests");
            assertThat(files(repo.head("main"))).contains("clusters/dev/" + ns + "/currents-sync.yaml");
            Map<String, String> secret = decode(ControlPlane.shared().client().secrets().inNamespace(ns).withName(ns).get().getData());
            assertThat(secret).containsOnlyKeys("identity", "identity.pub", "known_hosts")
                    .containsEntry("identity", new String(key.privateKey(), StandardCharsets.UTF_8))
                    .containsEntry("known_hosts", ssh.knownHostsLine() + "\n");
            assertThat(secret.get("identity.pub")).startsWith(key.publicKey().substring(0, key.publicKey().lastIndexOf(' ')));
        }
    }

    @Test
    void sshHostKeyAlgosAreTheOnlyOnesOfferedAndChooseTheRecordedKey() throws Exception {
        SshKeyPair key = SshKeyPair.ed25519();
        Path keyFile = root.resolve("id_ed25519");
        Files.write(keyFile, key.privateKey());
        try (GitSshServer ssh = GitSshServer.start(root, List.of(key.publicKey()))) {
            // the server has only an ed25519 host key: offering only RSA signatures cannot agree with it
            String ns = "boot-hostkey-rsa";
            String before = repo.head("main");
            CommandResult rsa = CommandResult.onCluster("bootstrap", "git", "--url", ssh.url(repo), "--path", "clusters/dev",
                    "--private-key-file", keyFile.toString(), "-n", ns, "--local-controllers", "--timeout", "3s",
                    "--ssh-hostkey-algos", "rsa-sha2-512,rsa-sha2-256");
            assertThat(rsa.code()).as(rsa.toString()).isNotZero().isNotEqualTo(ExitCodes.TIMEOUT);
            assertThat(rsa.err()).contains("Unable to negotiate key exchange for server host key algorithms "
                    + "(client: rsa-sha2-512,rsa-sha2-256 / server: ssh-ed25519)").doesNotContain("recorded SSH host key", "pushed");
            assertThat(repo.head("main")).as("nothing pushed").isEqualTo(before);
            assertThat(ControlPlane.shared().client().secrets().inNamespace(ns).withName(ns).get()).isNull();

            // with ed25519 among them, the ed25519 key is used and recorded in the Secret's known_hosts
            ns = "boot-hostkey-ed";
            CommandResult ed = CommandResult.onCluster("bootstrap", "git", "--url", ssh.url(repo), "--path", "clusters/dev",
                    "--private-key-file", keyFile.toString(), "-n", ns, "--local-controllers", "--timeout", "3s",
                    "--ssh-hostkey-algos", "rsa-sha2-512,ssh-ed25519");
            assertThat(ed.code()).as(ed.toString() + ssh.log()).isEqualTo(ExitCodes.TIMEOUT);
            assertThat(ed.err()).contains("✔ recorded SSH host key " + ssh.knownHostsLine(), "✔ pushed component manifests");
            Map<String, String> secret = decode(ControlPlane.shared().client().secrets().inNamespace(ns).withName(ns).get().getData());
            assertThat(secret).containsEntry("known_hosts", ssh.knownHostsLine() + "\n");
        }
        CommandResult unknown = CommandResult.run("bootstrap", "git", "--url", "ssh://git@127.0.0.1:1/x", "--ssh-hostkey-algos", "ssh-dss2");
        assertThat(unknown.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).startsWith("✗ --ssh-hostkey-algos: unsupported SSH host key algorithm 'ssh-dss2'; use one of ")
                .contains("ssh-ed25519", "rsa-sha2-512");
    }

    @Test
    void aRepositoryWithoutAuthenticationNeedsNoSecret() throws Exception {
        String ns = "boot-public";
        try (GitHttpServer open = GitHttpServer.start(root)) {
            CommandResult r = CommandResult.onCluster("bootstrap", "git", "--url", open.url(repo), "-n", ns,
                    "--local-controllers", "--timeout", "3s");
            assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.TIMEOUT);
            assertThat(r.err()).doesNotContain("Secret");
            // --path defaults to the repository root
            String sync = read(repo.head("main"), ns + "/currents-sync.yaml");
            assertThat(sync).doesNotContain("secretRef").contains("  path: ./\n");
            assertThat(ControlPlane.shared().client().secrets().inNamespace(ns).withName(ns).get()).isNull();
        }
    }

    @Test
    void aMissingFlagIsOneLinePointingAtTheHelp() {
        CommandResult r = CommandResult.run("bootstrap", "git", "--path", "x");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).isEqualTo("✗ Missing required option: '--url=<url>'; see 'currents bootstrap git --help'\n");
        assertThat(CommandResult.run("install", "--timeout", "soon").err())
                .startsWith("✗ Invalid value for option '--timeout': 'soon' is not a duration; use e.g. 30s, 5m or 1h30m");
    }

    @Test
    void bootstrapNeedsSourceAndKustomizeControllers() {
        CommandResult r = CommandResult.run("bootstrap", "git", "--url", server.url(repo), "--components", "source-controller");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).isEqualTo("✗ bootstrap needs source-controller and kustomize-controller; add both to --components\n");
    }

    private CommandResult bootstrap(String ns, String... extra) {
        List<String> args = new ArrayList<>(List.of("bootstrap", "git", "--url", server.url(repo), "--branch", "main",
                "--path", "./clusters/dev/", "--username", "git-user", "--password", "s3cret", "--allow-insecure-http", "-n", ns,
                "--local-controllers"));
        args.addAll(List.of(extra));
        return CommandResult.onCluster(args.toArray(String[]::new));
    }

    /** Writes the status a controller writes once it has reconciled the pushed commit. */
    private void markReady(String apiVersion, String kind, String ns) {
        var resource = ControlPlane.shared().client().genericKubernetesResources(apiVersion, kind).inNamespace(ns).withName(ns);
        resource.waitUntilCondition(o -> o != null, 120, TimeUnit.SECONDS);
        for (int attempt = 0; ; attempt++) {
            try {
                writeReadyStatus(resource, kind);
                return;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                // the CLI annotates the object (reconcile request) meanwhile: read it again, as a controller would
                if (e.getCode() != 409 || attempt > 10) {
                    throw e;
                }
            }
        }
    }

    private void writeReadyStatus(io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource> resource, String kind) {
        GenericKubernetesResource live = resource.get();
        String revision = "main@sha1:" + repo.head("main");
        Map<String, Object> status = new java.util.HashMap<>();
        if (kind.equals("GitRepository")) {
            status.put("artifact", Map.of("revision", revision, "path", "p", "url", "http://x/p", "digest", "sha256:0",
                    "lastUpdateTime", "2026-01-01T00:00:00Z"));
        } else {
            status.put("lastAppliedRevision", revision);
        }
        live.setAdditionalProperty("status", status);
        status.putAll(Map.of(
                "observedGeneration", live.getMetadata().getGeneration(),
                "conditions", List.of(Map.of("type", "Ready", "status", "True", "reason", "Succeeded",
                        "message", "reconciled by the test", "lastTransitionTime", "2026-01-01T00:00:00Z",
                        "observedGeneration", live.getMetadata().getGeneration()))));
        resource.updateStatus(live);
    }

    private List<String> files(String commit) throws Exception {
        try (Repository r = open(); RevWalk walk = new RevWalk(r); TreeWalk tree = new TreeWalk(r)) {
            tree.addTree(walk.parseCommit(ObjectId.fromString(commit)).getTree());
            tree.setRecursive(true);
            List<String> paths = new ArrayList<>();
            while (tree.next()) {
                paths.add(tree.getPathString());
            }
            return paths;
        }
    }

    private String read(String commit, String path) throws Exception {
        try (Repository r = open(); RevWalk walk = new RevWalk(r)) {
            RevCommit c = walk.parseCommit(ObjectId.fromString(commit));
            try (TreeWalk tree = TreeWalk.forPath(r, path, c.getTree())) {
                assertThat(tree).as(path + " in " + commit).isNotNull();
                return new String(r.open(tree.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    private String parent(String commit) throws Exception {
        try (Repository r = open(); RevWalk walk = new RevWalk(r)) {
            return walk.parseCommit(ObjectId.fromString(commit)).getParent(0).getName();
        }
    }

    private Repository open() throws Exception {
        return new FileRepositoryBuilder().setGitDir(repo.path().toFile()).setBare().build();
    }

    private static Map<String, String> decode(Map<String, String> data) {
        Map<String, String> out = new java.util.TreeMap<>();
        data.forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        return out;
    }
}
