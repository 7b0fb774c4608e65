package io.currents.kustomize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.currents.testkit.git.GitHttpServer;
import io.currents.testkit.git.GitSshServer;
import io.currents.testkit.git.SshKeyPair;
import io.currents.testkit.git.TestRepo;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote bases and files fetched from real servers: Git's own http-backend serving a repository with a
 * base at a tag, a newer commit on main, a branch and a few hostile kustomizations, and a JDK HTTP server
 * for plain YAML files.
 */
@Tag("slow")
class RemoteResourcesTest {

    static final String DEPLOY = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              replicas: 1
              template:
                spec:
                  containers:
                  - name: web
                    image: nginx:%s
            """;
    static final String RAW_CM = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: raw
            data:
              from: http
            """;

    @TempDir
    static Path tmp;
    static GitHttpServer git;
    static TestRepo repo;
    static HttpServer files;
    static TestRepo child;
    static TestRepo parent;
    static String firstCommit;
    static String secondCommit;

    @BeforeAll
    static void servers() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("repos"));
        repo = TestRepo.create(root, "app");
        firstCommit = repo.change("main")
                .file("base/kustomization.yaml", "resources:\n- deploy.yaml\n")
                .file("base/deploy.yaml", DEPLOY.formatted("1.0"))
                .file("comp/kustomization.yaml", """
                        apiVersion: kustomize.config.k8s.io/v1alpha1
                        kind: Component
                        commonAnnotations:
                          component: remote
                        """)
                .file("sibling/kustomization.yaml", "resources:\n- ../base\nnameSuffix: -sib\n")
                .file("escape/kustomization.yaml", "resources:\n- ../../\n")
                .file("fileescape/kustomization.yaml", "resources:\n- ../base/deploy.yaml\n")
                .file("plain/deploy.yaml", DEPLOY.formatted("plain"))
                .commit("base at 1.0");
        repo.annotatedTag("v1.0.0", firstCommit, "release 1.0", null);
        secondCommit = repo.commit("main", Map.of("base/deploy.yaml", DEPLOY.formatted("2.0"),
                "gen/kustomization.yaml", "configMapGenerator:\n- name: remote-gen\n  literals: [x=y]\n"),
                "base at 2.0");
        repo.branch("feature", secondCommit);
        repo.commit("feature", Map.of("base/deploy.yaml", DEPLOY.formatted("feature")), "feature");
        child = TestRepo.create(root, "child");
        String childCommit = child.commit("main", Map.of("cm.yaml", RAW_CM.replace("raw", "from-submodule")), "cm");
        parent = TestRepo.create(root, "parent");
        parent.change("main").file("kustomization.yaml", "resources:\n- vendor/cm.yaml\n")
                .submodule("vendor", "../child.git", childCommit).commit("with a submodule");
        git = GitHttpServer.start(root);

        files = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        files.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                if (path.startsWith("/private/") && !("Basic " + java.util.Base64.getEncoder().encodeToString(
                        "u:p+1".getBytes(StandardCharsets.UTF_8))).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                    exchange.sendResponseHeaders(401, -1);
                    return;
                }
                byte[] body = switch (path) {
                    case "/manifests/cm.yaml", "/cm.yaml", "/private/cm.yaml" -> RAW_CM.getBytes(StandardCharsets.UTF_8);
                    case "/patches/data.yaml" -> "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: raw\ndata:\n  patched: \"yes\"\n"
                            .getBytes(StandardCharsets.UTF_8);
                    case "/manifests/big.yaml" -> (RAW_CM + "  big: \"" + "x".repeat(200_000) + "\"\n")
                            .getBytes(StandardCharsets.UTF_8);
                    case "/slow.yaml" -> {
                        try {
                            Thread.sleep(3000);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        yield RAW_CM.getBytes(StandardCharsets.UTF_8);
                    }
                    default -> null;
                };
                if (body == null) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        files.start();
    }

    @AfterAll
    static void stop() {
        if (git != null) {
            git.close();
        }
        if (files != null) {
            files.stop(0);
        }
        for (TestRepo r : new TestRepo[] {repo, child, parent}) {
            if (r != null) {
                r.close();
            }
        }
    }

    static String repoUrl() {
        return git.url(repo);
    }

    static String filesUrl() {
        return "http://127.0.0.1:" + files.getAddress().getPort();
    }

    private static Path overlay(Path dir, String kustomization) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("kustomization.yaml"), kustomization);
        return dir;
    }

    private static Kustomizer enabled(Path work) {
        return Kustomizer.builder().remoteResources(RemoteResources.enabled().withWorkDir(work)).build();
    }

    @Test
    void anOverlayPatchesARemoteBaseAtATagAndTheCloneIsRemovedAfterwards(@TempDir Path dir) throws Exception {
        Path work = dir.resolve("work");
        Path o = overlay(dir.resolve("overlay"), """
                resources:
                - %s//base?ref=v1.0.0
                components:
                - %s//comp?ref=v1.0.0
                namePrefix: prod-
                patches:
                - patch: |-
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: web
                    spec:
                      replicas: 3
                """.formatted(repoUrl(), repoUrl()));
        String out = enabled(work).build(o).toYaml();
        assertThat(out).isEqualTo("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  annotations:
                    component: remote
                  name: prod-web
                spec:
                  replicas: 3
                  template:
                    metadata:
                      annotations:
                        component: remote
                    spec:
                      containers:
                      - image: nginx:1.0
                        name: web
                """);
        assertThat(Files.list(work)).as("clones left in the work directory").isEmpty();
    }

    @Test
    void refsSelectBranchesCommitsAndTheDefaultBranch(@TempDir Path dir) throws Exception {
        Kustomizer k = enabled(dir.resolve("work"));
        String[][] cases = {
                {"", "nginx:2.0"},
                {"?ref=feature", "nginx:feature"},
                {"?version=feature", "nginx:feature"},
                {"?ref=" + firstCommit, "nginx:1.0"},
                {"?ref=" + firstCommit.substring(0, 10), "nginx:1.0"},
                {"?ref=" + secondCommit + "&timeout=30s&submodules=false", "nginx:2.0"},
        };
        for (String[] c : cases) {
            Path o = overlay(dir.resolve("o" + Math.abs(c[0].hashCode())), "resources:\n- " + repoUrl() + "//base"
                    + c[0] + "\n");
            String out;
            try {
                out = k.build(o).toYaml();
            } catch (KustomizeException e) {
                throw new AssertionError("with '" + c[0] + "': " + e.getMessage(), e);
            }
            assertThat(out).as(c[0]).contains("image: " + c[1]);
        }
    }

    @Test
    void urlFormsWithDotGitPathAndGitPrefixAndASiblingBaseInsideTheClone(@TempDir Path dir) throws Exception {
        Kustomizer k = enabled(dir.resolve("work"));
        // https://host/org/repo.git/dir form (the repository ends at .git), go-getter's git:: prefix
        Path o = overlay(dir.resolve("o1"), "resources:\n- git::" + repoUrl() + "/base?ref=v1.0.0\n");
        assertThat(k.build(o).toYaml()).contains("image: nginx:1.0");
        // a remote kustomization may use ../ to reach another directory of its own repository
        Path o2 = overlay(dir.resolve("o2"), "resources:\n- " + repoUrl() + "//sibling?ref=v1.0.0\n");
        assertThat(k.build(o2).toYaml()).contains("name: web-sib").contains("image: nginx:1.0");
        // a directory without a kustomization is not a kustomization root, remote or not
        Path o3 = overlay(dir.resolve("o3"), "resources:\n- " + repoUrl() + "//plain\n");
        assertThatThrownBy(() -> k.build(o3)).isInstanceOf(KustomizeException.class)
                .hasMessageContaining("unable to find one of 'kustomization.yaml'");
    }

    @Test
    void azureUrlsEndTheRepositoryAfterTheSegmentFollowingGitAndTakeVersionAsTheRef(@TempDir Path dir) throws Exception {
        try (TestRepo azure = TestRepo.create(tmp.resolve("repos"), "collection/project/_git/azrepo")) {
            String v1 = azure.commit("main", Map.of("deploy/base/kustomization.yaml", "resources:\n- deploy.yaml\n",
                    "deploy/base/deploy.yaml", DEPLOY.formatted("azure-1")), "v1");
            azure.branch("release", v1);
            azure.commit("main", Map.of("deploy/base/deploy.yaml", DEPLOY.formatted("azure-2")), "v2");
            Kustomizer k = enabled(dir.resolve("work"));
            // no .git and no //: the repository is collection/project/_git/azrepo, the rest is the root inside it
            String url = git.baseUrl() + "/collection/project/_git/azrepo/deploy/base";
            assertThat(k.build(overlay(dir.resolve("o1"), "resources:\n- " + url + "?version=release\n")).toYaml())
                    .contains("image: nginx:azure-1");
            assertThat(k.build(overlay(dir.resolve("o2"), "resources:\n- git::" + url + "\n")).toYaml())
                    .contains("image: nginx:azure-2");
        }
    }

    @Test
    void submodulesAreClonedUnlessTurnedOff(@TempDir Path dir) throws Exception {
        Kustomizer k = enabled(dir.resolve("work"));
        // the submodule's URL is relative (../child.git): it resolves against the remote, as with git
        Path o = overlay(dir.resolve("a"), "resources:\n- " + git.url(parent) + "\n");
        assertThat(k.build(o).toYaml()).contains("name: from-submodule");
        Path off = overlay(dir.resolve("b"), "resources:\n- " + git.url(parent) + "?submodules=false\n");
        assertThatThrownBy(() -> k.build(off)).hasMessageContaining("vendor/cm.yaml: no such file or directory");
    }

    /** Origins as kubectl kustomize 5.5 writes them for remote objects (quirks included: "notCloned"). */
    @Test
    void originAnnotationsNameTheRepositoryAndRef(@TempDir Path dir) throws Exception {
        Path o = overlay(dir, """
                resources:
                - %1$s//base?ref=v1.0.0
                - %1$s//gen?ref=main
                - %2$s
                - %3$s/manifests/cm.yaml
                buildMetadata: [originAnnotations]
                """.formatted(repoUrl(), git.url(parent), filesUrl()));
        String out = enabled(dir.resolve("work")).build(o).toYaml();
        assertThat(out).contains("""
                    config.kubernetes.io/origin: |
                      path: base/deploy.yaml
                      repo: %s
                      ref: v1.0.0
                """.formatted(repoUrl()));
        assertThat(out).contains("""
                    config.kubernetes.io/origin: |
                      repo: %s
                      ref: main
                      configuredIn: gen/kustomization.yaml
                      configuredBy:
                        apiVersion: builtin
                        kind: ConfigMapGenerator
                """.formatted(repoUrl()));
        assertThat(out).contains("""
                    config.kubernetes.io/origin: |
                      path: notCloned/vendor/cm.yaml
                      repo: %s
                """.formatted(git.url(parent)));
        assertThat(out).contains("""
                    config.kubernetes.io/origin: |
                      path: notCloned
                      repo: %s/manifests/cm.yaml
                """.formatted(filesUrl()));
    }

    @Test
    void sshUrlsCloneWithTheKeysAndKnownHostsOfTheSshDirectory(@TempDir Path dir) throws Exception {
        SshKeyPair key = SshKeyPair.ed25519();
        try (GitSshServer server = GitSshServer.start(tmp.resolve("repos"), List.of(key.publicKey()))) {
            Path sshDir = Files.createDirectories(dir.resolve("home/.ssh"));
            Path id = Files.write(sshDir.resolve("id_ed25519"), key.privateKey());
            Files.setPosixFilePermissions(id, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            String url = server.url(repo) + "//base?ref=v1.0.0";
            Path o = overlay(dir.resolve("o"), "resources:\n- " + url + "\n");
            // the server's host key is not known yet: refused
            Kustomizer k = Kustomizer.builder().remoteResources(RemoteResources.enabled()
                    .withSshDirectory(sshDir).withWorkDir(dir.resolve("work"))).build();
            assertThatThrownBy(() -> k.build(o)).hasMessageContaining("cloning '" + server.url(repo) + "'")
                    .hasMessageContaining("Server key did not validate");
            Files.writeString(sshDir.resolve("known_hosts"), server.knownHostsLine() + "\n");
            assertThat(k.build(o).toYaml()).contains("image: nginx:1.0");
            // scp-like form of the same repository: user@host:path (no port in that form, so only parsed here)
            RepoSpec scp = RepoSpec.parse("git@127.0.0.1:org/app.git//base");
            assertThat(scp.cloneUrl()).isEqualTo("git@127.0.0.1:org/app.git");
        }
    }

    @Test
    void aRemoteFileOverHttpIsAResource(@TempDir Path dir) throws Exception {
        Path o = overlay(dir, "resources:\n- " + filesUrl() + "/manifests/cm.yaml\nnamespace: apps\n"
                + "patches:\n- path: " + filesUrl() + "/patches/data.yaml\n");
        assertThat(enabled(dir.resolve("work")).build(o).toYaml()).isEqualTo("""
                apiVersion: v1
                data:
                  from: http
                  patched: "yes"
                kind: ConfigMap
                metadata:
                  name: raw
                  namespace: apps
                """);
    }

    @Test
    void remoteResourcesAreRefusedUnlessEnabledAndTheMessageSaysHow(@TempDir Path dir) throws Exception {
        int served = git.requests().size();
        Path o = overlay(dir, "resources:\n- " + repoUrl() + "//base?ref=v1.0.0\n");
        assertThatThrownBy(() -> Kustomizer.create().build(o)).isInstanceOf(KustomizeException.class)
                .hasMessageContaining("remote resource '" + repoUrl() + "//base?ref=v1.0.0' refused")
                .hasMessageContaining("RemoteResources.enabled()");
        assertThatThrownBy(() -> Kustomizer.builder().remoteResources(RemoteResources.disabled("pass --enable-remote"))
                .build().build(o)).hasMessageContaining("pass --enable-remote");
        Path f = overlay(dir.resolve("file"), "resources:\n- " + filesUrl() + "/cm.yaml\n");
        assertThatThrownBy(() -> Kustomizer.create().build(f)).hasMessageContaining("refused");
        assertThat(git.requests()).as("nothing fetched").hasSize(served);
    }

    @Test
    void missingFilesUnreachableHostsBadRefsAndMissingReposNameTheUrl(@TempDir Path dir) throws Exception {
        Kustomizer k = enabled(dir.resolve("work"));
        String missing = filesUrl() + "/nothere.yaml";
        assertThatThrownBy(() -> k.build(overlay(dir.resolve("a"), "resources:\n- " + missing + "\n")))
                .hasMessageContaining("fetching '" + missing + "': HTTP error: status code 404 Not Found");
        // two path segments could name a repository: kustomize then tries Git too, and so do we
        String missing2 = filesUrl() + "/manifests/nothere.yaml";
        assertThatThrownBy(() -> k.build(overlay(dir.resolve("b"), "resources:\n- " + missing2 + "\n")))
                .hasMessageContaining("'" + missing2 + "': not a file (")
                .hasMessageContaining("status code 404")
                .hasMessageContaining("and not a Git repository: cloning '" + filesUrl() + "/manifests/nothere.yaml'");
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        String unreachable = "http://127.0.0.1:" + closed + "/org/repo//base?ref=v1";
        assertThatThrownBy(() -> k.build(overlay(dir.resolve("c"), "resources:\n- " + unreachable + "\n")))
                .hasMessageContaining("fetching '" + unreachable + "': cannot connect to 127.0.0.1:" + closed);
        String sshUnreachable = "ssh://git@127.0.0.1:" + closed + "/org/repo//base";
        Kustomizer withSsh = Kustomizer.builder().remoteResources(RemoteResources.enabled()
                .withSshDirectory(Files.createDirectories(dir.resolve(".ssh"))).withWorkDir(dir.resolve("work"))).build();
        assertThatThrownBy(() -> withSsh.build(overlay(dir.resolve("c2"), "resources:\n- " + sshUnreachable + "\n")))
                .hasMessageContaining("cloning 'ssh://git@127.0.0.1:" + closed + "/org/repo'")
                .hasMessageContaining("Connection refused");
        // without an SSH directory there are no keys to use: refused before connecting
        assertThatThrownBy(() -> k.build(overlay(dir.resolve("c3"), "resources:\n- " + sshUnreachable + "\n")))
                .hasMessageContaining("cloning 'ssh://git@127.0.0.1:" + closed + "/org/repo'")
                .hasMessageContaining("an SSH remote needs the keys and known_hosts of an SSH directory");
        assertThatThrownBy(() -> k.build(overlay(dir.resolve("d"), "resources:\n- " + repoUrl() + "//base?ref=v9\n")))
                .hasMessageContaining("cloning '" + repoUrl() + "': ref 'v9' is not a branch, tag or commit");
        String noRepo = git.baseUrl() + "/nothere.git//base";
        assertThatThrownBy(() -> k.build(overlay(dir.resolve("e"), "resources:\n- " + noRepo + "\n")))
                .hasMessageContaining("cloning '" + git.baseUrl() + "/nothere.git'")
                .hasMessageContaining("no Git repository found at " + git.baseUrl() + "/nothere.git");
        assertThatThrownBy(() -> k.build(overlay(dir.resolve("f"), "resources:\n- " + repoUrl() + "//nodir\n")))
                .hasMessageContaining("'nodir' in '" + repoUrl() + "': no such directory in the repository");
        assertThat(Files.list(dir.resolve("work"))).isEmpty();
    }

    @Test
    void authenticationFailuresSaySo(@TempDir Path dir) throws Exception {
        try (GitHttpServer secured = GitHttpServer.builder(tmp.resolve("repos")).basicAuth("u", "p").start()) {
            String url = secured.url(repo) + "//base";
            Kustomizer k = enabled(dir.resolve("work"));
            assertThatThrownBy(() -> k.build(overlay(dir.resolve("a"), "components:\n- " + url + "\n")))
                    .hasMessageContaining("cloning '" + secured.url(repo) + "'")
                    .hasMessageContaining("authentication to " + secured.url(repo) + " failed (no credentials were given)");
            // wrong credentials in the URL fail without showing the password
            String wrong = secured.url(repo).replace("http://", "http://u:wrong@") + "//base";
            assertThatThrownBy(() -> k.build(overlay(dir.resolve("w"), "resources:\n- " + wrong + "\n")))
                    .hasMessageContaining("authentication to " + secured.url(repo) + " failed: not authorized")
                    .hasMessageContaining("http://u:***@127.0.0.1")
                    .hasMessageNotContaining("wrong").hasNoCause();
            // credentials in the URL are used
            String withCreds = secured.url(repo).replace("http://", "http://u:p@") + "//base?ref=v1.0.0";
            assertThat(k.build(overlay(dir.resolve("b"), "resources:\n- " + withCreds + "\n")).toYaml())
                    .contains("image: nginx:1.0");
            // and so are they for plain files, as basic authentication
            String file = filesUrl().replace("http://", "http://u:p+1@") + "/private/cm.yaml";
            assertThat(k.build(overlay(dir.resolve("c"), "resources:\n- " + file + "\n")).toYaml())
                    .contains("name: raw");
            String noCreds = filesUrl() + "/private/cm.yaml";
            assertThatThrownBy(() -> k.build(overlay(dir.resolve("d"), "resources:\n- " + noCreds + "\n")))
                    .hasMessageContaining("status code 401 Unauthorized");
        }
    }

    @Test
    void downloadsAndClonesOverTheirLimitsFailCleanly(@TempDir Path dir) throws Exception {
        String big = filesUrl() + "/manifests/big.yaml";
        Kustomizer small = Kustomizer.builder().remoteResources(RemoteResources.enabled().withMaxDownloadBytes(10_000)
                .withMaxCloneBytes(2_000).withWorkDir(dir.resolve("work"))).build();
        assertThatThrownBy(() -> small.build(overlay(dir.resolve("a"), "resources:\n- " + big + "\n")))
                .hasMessageContaining("fetching '" + big + "': the response is over the limit of 10000 bytes");
        assertThatThrownBy(() -> small.build(overlay(dir.resolve("b"), "resources:\n- " + repoUrl() + "//base\n")))
                .hasMessageContaining("cloning '" + repoUrl() + "'")
                .hasMessageContaining("over the limit of 2000 bytes");
        assertThat(Files.list(dir.resolve("work"))).isEmpty();
        Kustomizer quick = Kustomizer.builder().remoteResources(RemoteResources.enabled()
                .withTimeout(Duration.ofMillis(500)).withWorkDir(dir.resolve("work"))).build();
        String slow = filesUrl() + "/slow.yaml";
        // the server sends its headers at once and stalls the body; on a loaded machine the headers themselves can
        // come later than 500ms, which is reported as "no response": both name the URL and the limit
        assertThatThrownBy(() -> quick.build(overlay(dir.resolve("c"), "resources:\n- " + slow + "\n")))
                .hasMessageFindingMatch("fetching '" + java.util.regex.Pattern.quote(slow) + "': no (complete )?response within 500ms");
    }

    @Test
    void aDestinationCheckRefusesDownloadsAndClonesBeforeAnyConnection(@TempDir Path dir) throws Exception {
        // the controllers pass their no-internal-destinations check; any function naming a reason refuses
        Kustomizer guarded = Kustomizer.builder().remoteResources(RemoteResources.enabled().withWorkDir(dir.resolve("work"))
                .withDestinationCheck(host -> host.equals("127.0.0.1") ? "'" + host + "' is a loopback address" : null)).build();
        int before = git.requests().size();
        String file = filesUrl() + "/cm.yaml";
        assertThatThrownBy(() -> guarded.build(overlay(dir.resolve("a"), "resources:\n- " + file + "\n")))
                .hasMessageContaining("fetching '" + file + "': refused, '127.0.0.1' is a loopback address");
        // go-getter's git:: prefix: a repository at once, not first tried as a file
        assertThatThrownBy(() -> guarded.build(overlay(dir.resolve("b"), "resources:\n- git::" + repoUrl() + "/base\n")))
                .hasMessageContaining("cloning '" + repoUrl() + "'")
                .hasMessageContaining("refused, '127.0.0.1' is a loopback address");
        assertThat(git.requests()).as("no request reached the Git server").hasSize(before);
        Kustomizer allowing = Kustomizer.builder().remoteResources(RemoteResources.enabled().withWorkDir(dir.resolve("work"))
                .withDestinationCheck(host -> null)).build();
        assertThat(allowing.build(overlay(dir.resolve("c"), "resources:\n- " + file + "\n")).toYaml()).contains("name: raw");
    }

    @Test
    void withADestinationCheckACloneFollowsNoRedirectToARefusedHost(@TempDir Path dir) throws Exception {
        // a server the check allows (127.0.0.1) answering every request with a redirect to the real repository under
        // a name the check refuses (localhost): JGit follows it unless told not to
        HttpServer redirecting = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        String target = repoUrl().replace("127.0.0.1", "localhost");
        java.util.List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        redirecting.createContext("/", exchange -> {
            try (exchange) {
                String rest = exchange.getRequestURI().toString().replaceFirst("^/repo\\.git", "");
                asked.add(exchange.getRequestURI().getPath());
                exchange.getResponseHeaders().add("Location", target + rest);
                exchange.sendResponseHeaders(302, -1);
            }
        });
        redirecting.start();
        try {
            String url = "http://127.0.0.1:" + redirecting.getAddress().getPort() + "/repo.git";
            Kustomizer open = Kustomizer.builder().remoteResources(RemoteResources.enabled().withWorkDir(dir.resolve("w1"))).build();
            assertThat(open.build(overlay(dir.resolve("a"), "resources:\n- " + url + "//base\n")).toYaml())
                    .as("without a check the redirect is followed, as git does").contains("kind: Deployment");
            asked.clear();
            int before = git.requests().size();
            Kustomizer guarded = Kustomizer.builder().remoteResources(RemoteResources.enabled().withWorkDir(dir.resolve("w2"))
                    .withDestinationCheck(host -> host.equals("localhost") ? "'" + host + "' is a loopback address" : null)).build();
            assertThatThrownBy(() -> guarded.build(overlay(dir.resolve("b"), "resources:\n- " + url + "//base\n")))
                    .hasMessageContaining("cloning '" + url + "'")
                    .hasMessageContaining("Cannot redirect because http.followRedirects is false");
            assertThat(asked).as("the allowed server was asked").isNotEmpty();
            assertThat(git.requests()).as("nothing reached the refused host").hasSize(before);
        } finally {
            redirecting.stop(0);
        }
    }

    @Test
    void aCloneStopsAtItsTimeout(@TempDir Path dir) throws Exception {
        HttpServer stalled = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        stalled.createContext("/", exchange -> {
            try (exchange) {
                Thread.sleep(20_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        var threads = java.util.concurrent.Executors.newCachedThreadPool();
        stalled.setExecutor(threads);
        stalled.start();
        try {
            String url = "http://127.0.0.1:" + stalled.getAddress().getPort() + "/org/repo.git";
            Path o = overlay(dir, "components:\n- " + url + "//comp?timeout=1\n");
            long start = System.nanoTime();
            assertThatThrownBy(() -> enabled(dir.resolve("work")).build(o))
                    .hasMessageContaining("cloning '" + url + "': ")
                    .hasMessageContaining("timed out after 1s (raise it with ?timeout= in the URL");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
        } finally {
            stalled.stop(0);
            threads.shutdownNow();
        }
    }

    @Test
    void aRemoteKustomizationCannotLeaveItsClone(@TempDir Path dir) throws Exception {
        // even with load restrictions lifted for local files, a clone is root-only and closed
        Kustomizer k = Kustomizer.builder().loadRestrictions(Kustomizer.LoadRestrictions.NONE)
                .remoteResources(RemoteResources.enabled().withWorkDir(dir.resolve("work"))).build();
        assertThatThrownBy(() -> k.build(overlay(dir.resolve("a"), "resources:\n- " + repoUrl() + "//escape\n")))
                .hasMessageContaining("security; bases in kustomizations found in cloned git repos must be within "
                        + "the repo");
        assertThatThrownBy(() -> k.build(overlay(dir.resolve("b"), "resources:\n- " + repoUrl() + "//fileescape\n")))
                .hasMessageContaining("security; file '").hasMessageContaining("is not in or below");
        assertThatThrownBy(() -> k.build(overlay(dir.resolve("c"), "resources:\n- " + repoUrl() + "//base/../..\n")))
                .hasMessageContaining("url path exits repo");
        assertThat(Files.list(dir.resolve("work"))).isEmpty();
    }

    @Test
    void aRemoteBaseThatNamesItselfIsACycle(@TempDir Path dir) throws Exception {
        String self = repoUrl() + "//cycle?ref=cycle";
        repo.branch("cycle", secondCommit);
        repo.commit("cycle", Map.of("cycle/kustomization.yaml", "resources:\n- " + self + "\n"), "self reference");
        Path o = overlay(dir, "resources:\n- " + self + "\n");
        assertThatThrownBy(() -> enabled(dir.resolve("work")).build(o))
                .hasMessageContaining("cycle detected: URI '" + self + "' referenced by previous URI '" + self + "'");
        assertThat(Files.list(dir.resolve("work"))).isEmpty();
    }

    @Test
    void kustomizeUrlFormsParse() {
        RepoSpec gh = RepoSpec.parse("github.com/org/repo/deploy/base?ref=v1.2.3");
        assertThat(gh.cloneUrl()).isEqualTo("https://github.com/org/repo");
        assertThat(gh.kustRootPath()).isEqualTo("deploy/base");
        assertThat(gh.ref()).isEqualTo("v1.2.3");
        RepoSpec scp = RepoSpec.parse("git@gitlab.example:org/repo//dir?version=main&submodules=false");
        assertThat(scp.cloneUrl()).isEqualTo("git@gitlab.example:org/repo");
        assertThat(scp.kustRootPath()).isEqualTo("dir");
        assertThat(scp.ref()).isEqualTo("main");
        assertThat(scp.submodules()).isFalse();
        RepoSpec ssh = RepoSpec.parse("ssh://git@host.example/org/repo.git/sub/dir?ref=abc&timeout=2m");
        assertThat(ssh.cloneUrl()).isEqualTo("ssh://git@host.example/org/repo.git");
        assertThat(ssh.kustRootPath()).isEqualTo("sub/dir");
        assertThat(ssh.timeout()).isEqualTo(Duration.ofMinutes(2));
        RepoSpec https = RepoSpec.parse("https://host.example/org/repo.git//dir?ref=branch&timeout=90");
        assertThat(https.cloneUrl()).isEqualTo("https://host.example/org/repo.git");
        assertThat(https.timeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(RepoSpec.parse("git@github.com:org/repo").cloneUrl()).isEqualTo("git@github.com:org/repo");
        assertThat(RepoSpec.parse("https://dev.azure.com/org/project/_git/repo/path/to/root").cloneUrl())
                .isEqualTo("https://dev.azure.com/org/project/_git/repo");
        assertThat(RepoSpec.parse("file:///srv/repos/app//base").cloneUrl()).isEqualTo("file:///srv/repos/app");
        for (String local : new String[] {"base", "../base", "overlays/prod", "/abs/path", "deploy.yaml"}) {
            assertThat(RepoSpec.parse(local)).as(local).isNull();
        }
        assertThat(Stream.of("https://host.example/file.yaml").map(RepoSpec::parse)).containsOnlyNulls();
    }

    /** The same remote builds through the live {@code kubectl kustomize} (which runs git) when it is on the PATH. */
    @Test
    void matchesKubectlKustomizeOnRemoteBases(@TempDir Path dir) throws Exception {
        Path kubectl = io.currents.testkit.TestTools.require(io.currents.testkit.TestTools.Tool.KUBECTL);
        String[] overlays = {
                """
                resources:
                - %1$s//base?ref=v1.0.0
                - %3$s/manifests/cm.yaml
                components:
                - %1$s//comp?ref=%2$s
                namePrefix: prod-
                patches:
                - patch: |-
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: web
                    spec:
                      replicas: 3
                """,
                """
                resources:
                - %1$s/sibling?ref=feature
                buildMetadata: [originAnnotations]
                """,
                """
                resources:
                - %3$s/manifests/cm.yaml
                - %1$s//base
                - %1$s//gen?ref=main
                - %4$s
                configMapGenerator:
                - name: gen
                  literals: [a=b]
                buildMetadata: [originAnnotations]
                """,
        };
        for (int i = 0; i < overlays.length; i++) {
            Path o = overlay(dir.resolve("o" + i), overlays[i].formatted(repoUrl(), firstCommit, filesUrl(), git.url(parent)));
            Process p = new ProcessBuilder(kubectl.toString(), "kustomize", o.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String theirs = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("kubectl kustomize exit code for overlay " + i).isZero();
            assertThat(theirs).contains(i == 0 ? "image: nginx:1.0" : "repo: " + repoUrl());
            assertThat(enabled(dir.resolve("work")).build(o).toYaml()).as("overlay " + i).isEqualTo(theirs);
        }
    }
}
