package io.currents.cli.bootstrap;

import io.currents.cli.CommandResult;
import io.currents.git.GitAuth;
import io.currents.git.GitTransport;
import io.currents.git.GitWorkspace;
import io.currents.testkit.ControlPlane;
import io.currents.testkit.git.GitHttpServer;
import io.currents.testkit.git.GitSshServer;
import io.currents.testkit.git.TestRepo;
import io.currents.testkit.registry.TestCertificates;
import io.fabric8.kubernetes.api.model.Secret;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a provider bootstrap test runs against besides the fake REST API: the real Git servers the API's clone URLs
 * point at (git-http-backend over HTTPS with the token as basic-auth password, sshd accepting the deploy keys registered
 * through the API), one test CA for both HTTPS servers (given to --ca-file), and the shared control plane.
 */
final class ProviderFixture implements AutoCloseable {

    final Path root;
    final TestRepo repo;
    final TestCertificates.Pair certificates;
    final Path caFile;
    final GitHttpServer http;
    final GitSshServer ssh;
    final String token;

    ProviderFixture(Path root, String pushUser, String token) throws IOException {
        ControlPlane.shared().applyCrds(ControlPlane.projectRoot().resolve("manifests").resolve("crds"));
        this.root = root;
        this.token = token;
        this.repo = TestRepo.create(root, "fleet");
        this.certificates = TestCertificates.caAndServer("127.0.0.1");
        this.caFile = Files.writeString(root.resolve("ca.crt"), certificates.caCertificatePem());
        this.http = GitHttpServer.builder(root).tls(certificates).basicAuth(pushUser, token).start();
        this.ssh = GitSshServer.start(root, List.of());
    }

    String httpsUrl() {
        return http.url(repo);
    }

    String sshUrl() {
        return ssh.url(repo);
    }

    /** Runs {@code currents <args> --kubeconfig …} with the token on standard input (the CLI asks for it without $…_TOKEN). */
    CommandResult bootstrap(String... args) {
        InputStream stdin = System.in;
        System.setIn(new ByteArrayInputStream((token + "\n").getBytes(StandardCharsets.UTF_8)));
        try {
            return CommandResult.onCluster(args);
        } finally {
            System.setIn(stdin);
        }
    }

    Map<String, String> secret(String ns, String name) {
        Secret secret = ControlPlane.shared().client().secrets().inNamespace(ns).withName(name).get();
        if (secret == null) {
            return null;
        }
        Map<String, String> out = new TreeMap<>();
        secret.getData().forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        return out;
    }

    void deleteSecret(String ns, String name) {
        ControlPlane.shared().client().secrets().inNamespace(ns).withName(name).delete();
        ControlPlane.shared().client().secrets().inNamespace(ns).withName(name)
                .waitUntilCondition(s -> s == null, 30, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** The head of main as the Secret's SSH credentials see it: proves the registered deploy key and known_hosts work. */
    String headOverSshWith(Map<String, String> secret) throws Exception {
        GitAuth auth = GitAuth.ssh(secret.get("identity").getBytes(StandardCharsets.UTF_8), null, secret.get("known_hosts"));
        try (GitTransport transport = GitTransport.of(sshUrl(), auth, null)) {
            return GitWorkspace.remoteHead(transport, sshUrl(), "main", Duration.ofSeconds(30)).orElse(null);
        }
    }

    List<String> files(String commit) throws Exception {
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

    String read(String commit, String path) throws Exception {
        try (Repository r = open(); RevWalk walk = new RevWalk(r);
             TreeWalk tree = TreeWalk.forPath(r, path, walk.parseCommit(ObjectId.fromString(commit)).getTree())) {
            if (tree == null) {
                throw new AssertionError(path + " is not in " + commit);
            }
            return new String(r.open(tree.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
        }
    }

    private Repository open() throws IOException {
        return new FileRepositoryBuilder().setGitDir(repo.path().toFile()).setBare().build();
    }

    @Override
    public void close() {
        ssh.close();
        http.close();
        repo.close();
    }
}
