package io.currents.image;

import io.currents.api.image.v1.ImageRepository;
import io.currents.api.image.v1.ImageUpdateAutomation;
import io.currents.testkit.git.GitHttpServer;
import io.currents.testkit.git.GitSshServer;
import io.currents.testkit.git.SshKeyPair;
import io.currents.testkit.git.TestRepo;
import io.currents.testkit.registry.OciRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.currents.image.ImageScenario.imagePolicy;
import static io.currents.image.ImageScenario.imageRepository;
import static io.currents.image.ImageScenario.ready;
import static io.currents.image.ImageScenario.readyMessage;
import static io.currents.image.ImageScenario.readyReason;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An ImageUpdateAutomation rewrites the setter markers of a real Git repository (over HTTP and SSH)
 * to the policies' latest images, commits with the templated message, pushes, and does nothing when
 * nothing changed; every byte outside the replaced values is kept.
 */
@QuarkusTest
@QuarkusTestResource(value = ImageControllerTestResource.class, restrictToAnnotatedClass = false)
class ImageUpdateAutomationTest {

    static OciRegistry registry;
    static Path gitRoot;
    static GitHttpServer http;

    @BeforeAll
    static void start() throws IOException {
        registry = OciRegistry.start();
        gitRoot = Files.createTempDirectory("iua-git");
        http = GitHttpServer.start(gitRoot);
    }

    @AfterAll
    static void stop() {
        http.close();
        registry.close();
    }

    static String deployment(String image, String tag, String ns) {
        return """
                # Deployment managed by image automation: this comment stays
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: podinfo
                  namespace: apps   # aligned comment
                spec:
                  template:
                    spec:
                      containers:
                        - name: podinfo
                          image: %s:%s # {"$imagepolicy": "%s:app"}
                          env:
                            - {name: TAG, value: "%s"}    # {"$imagepolicy": "%s:app:tag"}
                        - name: sidecar
                          image: 'busybox:1.36'  # not automated
                """.formatted(image, tag, ns, tag, ns);
    }

    private static final String TEMPLATE = """
            Automated image update

            Automation name: {{ .AutomationObject }}

            Files:
            {{ range $filename, $_ := .Changed.FileChanges -}}
            - {{ $filename }}
            {{ end -}}

            Objects:
            {{ range $resource, $changes := .Changed.Objects -}}
            - {{ $resource.Kind }} {{ $resource.Name }}
              Changes:
            {{- range $_, $change := $changes }}
                - {{ $change.OldValue }} -> {{ $change.NewValue }}
            {{ end -}}
            {{ end -}}
            [{{ .Values.cluster }}]
            """;

    static String automation(String name, String source, String extraGit) {
        return """
                apiVersion: image.toolkit.fluxcd.io/v1
                kind: ImageUpdateAutomation
                metadata:
                  name: %s
                  namespace: NS
                spec:
                  interval: 10m
                  sourceRef:
                    kind: GitRepository
                    name: %s
                  git:
                    commit:
                      author:
                        name: Image Bot
                        email: bot@example.com
                      messageTemplateValues:
                        cluster: staging
                      messageTemplate: |
                %s
                %s
                  update:
                    path: ./deploy
                    strategy: Setters
                """.formatted(name, source, TEMPLATE.lines().map(l -> "          " + l).reduce((a, b) -> a + "\n" + b).orElse(""),
                extraGit == null ? "" : extraGit.lines().map(l -> "    " + l).reduce((a, b) -> a + "\n" + b).orElse(""));
    }

    static String gitRepository(String name, String url, String secret) {
        return """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: GitRepository
                metadata:
                  name: %s
                  namespace: NS
                spec:
                  url: %s
                  interval: 10m
                  ref:
                    branch: main
                %s""".formatted(name, url, secret == null ? "" : "  secretRef:\n    name: " + secret + "\n");
    }

    @Test
    void markersAreRewrittenCommittedAndPushedOverHttpAndNothingHappensWhenNothingChanged() {
        String image = registry.image("auto/app");
        registry.push("auto/app", "1.0.0", "1.1.0");
        var s = new ImageScenario("iua-http");
        TestRepo repo = TestRepo.create(gitRoot, "http-" + s.namespace);
        String original = deployment(image, "1.0.0", s.namespace);
        String untouched = "# not under update.path\nimage: " + image + ":1.0.0 # {\"$imagepolicy\": \"" + s.namespace + ":app\"}\n";
        String first = repo.commit("main", Map.of("deploy/podinfo.yaml", original, "other/outside.yaml", untouched), "initial");

        s.apply(imageRepository("app", image, null));
        s.apply(imagePolicy("app", "app", "policy:\n  semver:\n    range: '1.x'"));
        s.apply(gitRepository("repo", http.url(repo), null));
        s.apply(automation("auto", "repo", null));

        ImageUpdateAutomation auto = s.awaitAutomation("auto", a -> a.getStatus() != null && a.getStatus().getLastPushCommit() != null);
        String pushed = repo.head("main");
        assertThat(pushed).isNotEqualTo(first).isEqualTo(auto.getStatus().getLastPushCommit());
        assertThat(file(repo, pushed, "deploy/podinfo.yaml")).isEqualTo(deployment(image, "1.1.0", s.namespace));
        assertThat(file(repo, pushed, "other/outside.yaml")).isEqualTo(untouched);
        RevCommit commit = commit(repo, pushed);
        assertThat(commit.getParentCount()).isEqualTo(1);
        assertThat(commit.getParent(0).name()).isEqualTo(first);
        assertThat(commit.getAuthorIdent().getName()).isEqualTo("Image Bot");
        assertThat(commit.getAuthorIdent().getEmailAddress()).isEqualTo("bot@example.com");
        // Flux's documented template, rendered as Go renders it (the inner range leaves a blank line between changes)
        assertThat(commit.getFullMessage()).isEqualTo("""
                Automated image update

                Automation name: %s/auto

                Files:
                - deploy/podinfo.yaml
                Objects:
                - Deployment podinfo
                  Changes:
                    - %s:1.0.0 -> %s:1.1.0

                    - 1.0.0 -> 1.1.0
                [staging]
                """.formatted(s.namespace, image, image));
        assertThat(auto.getStatus().getObservedPolicies()).containsOnlyKeys("app");
        assertThat(auto.getStatus().getObservedPolicies().get("app").getTag()).isEqualTo("1.1.0");
        assertThat(auto.getStatus().getObservedSourceRevision()).isEqualTo("main@sha1:" + pushed);
        assertThat(auto.getStatus().getLastPushTime()).isNotBlank();
        assertThat(auto.getStatus().getLastAutomationRunTime()).isNotBlank();
        assertThat(readyMessage(auto.getStatus().getConditions())).isEqualTo("pushed commit '" + pushed.substring(0, 7) + "' to branch 'main'");
        assertThat(s.events("auto")).anyMatch(e -> e.getMessage().startsWith("committed and pushed commit '" + pushed.substring(0, 7) + "'"));

        // nothing changed: a requested run rewrites nothing and pushes nothing
        s.requestReconcile(ImageUpdateAutomation.class, "auto");
        auto = s.awaitAutomation("auto", a -> readyMessage(a.getStatus().getConditions()).equals("repository up-to-date"));
        assertThat(repo.head("main")).isEqualTo(pushed);
        assertThat(auto.getStatus().getLastPushCommit()).isEqualTo(pushed);

        // a new tag flows from the registry through the policy into a new commit
        registry.push("auto/app", "1.2.0");
        s.requestReconcile(ImageRepository.class, "app");
        auto = s.awaitAutomation("auto", a -> a.getStatus().getLastPushCommit() != null && !a.getStatus().getLastPushCommit().equals(pushed));
        String second = repo.head("main");
        assertThat(second).isEqualTo(auto.getStatus().getLastPushCommit());
        assertThat(file(repo, second, "deploy/podinfo.yaml")).isEqualTo(deployment(image, "1.2.0", s.namespace));
    }

    @Test
    void anUpdatePathThatLeavesTheCloneThroughASymlinkIsRefused() throws IOException {
        String image = registry.image("escape/app");
        registry.push("escape/app", "1.0.0", "1.1.0");
        var s = new ImageScenario("iua-escape");
        // another clone (or any directory) the controller can write, with a marker the tenant's policy names
        java.nio.file.Path victim = java.nio.file.Files.createTempDirectory("victim-clone");
        String victimContent = deployment(image, "1.0.0", s.namespace);
        java.nio.file.Files.writeString(victim.resolve("app.yaml"), victimContent);
        TestRepo repo = TestRepo.create(gitRoot, "escape-" + s.namespace);
        repo.change("main").file("deploy/app.yaml", deployment(image, "1.0.0", s.namespace))
                .symlink("link", victim.getParent().toString()).commit("a link out of the repository");

        s.apply(imageRepository("app", image, null));
        s.apply(imagePolicy("app", "app", "policy:\n  semver:\n    range: '1.x'"));
        s.apply(gitRepository("repo", http.url(repo), null));
        s.apply(automation("auto", "repo", null).replace("path: ./deploy", "path: ./link/" + victim.getFileName()));

        ImageUpdateAutomation auto = s.awaitAutomation("auto", a -> a.getStatus() != null && ready(a.getStatus().getConditions(), "False"));
        assertThat(readyReason(auto.getStatus().getConditions())).isEqualTo("InvalidPath");
        assertThat(readyMessage(auto.getStatus().getConditions())).contains("leads outside the repository");
        assertThat(java.nio.file.Files.readString(victim.resolve("app.yaml"))).isEqualTo(victimContent);
        assertThat(auto.getStatus().getLastPushCommit()).isNull();
    }

    @Test
    void overSshTheUpdateGoesToTheConfiguredPushBranch() throws IOException {
        String image = registry.image("ssh/app");
        registry.push("ssh/app", "2.0.0", "2.1.0");
        var s = new ImageScenario("iua-ssh");
        SshKeyPair key = SshKeyPair.ed25519();
        try (GitSshServer ssh = GitSshServer.start(gitRoot, List.of(key.publicKey()))) {
            TestRepo repo = TestRepo.create(gitRoot, "ssh-" + s.namespace);
            String first = repo.commit("main", Map.of("deploy/app.yaml", deployment(image, "2.0.0", s.namespace)), "initial");
            s.secret("ssh-auth", Map.of("identity", new String(key.privateKey(), StandardCharsets.UTF_8), "known_hosts", ssh.knownHostsLine()));

            s.apply(imageRepository("app", image, null));
            s.apply(imagePolicy("app", "app", "policy:\n  semver:\n    range: '>=2.0.0'"));
            s.apply(gitRepository("repo", ssh.url(repo), "ssh-auth"));
            s.apply(automation("auto", "repo", "push:\n  branch: image-updates"));

            ImageUpdateAutomation auto = s.awaitAutomation("auto", a -> a.getStatus() != null && a.getStatus().getLastPushCommit() != null);
            assertThat(repo.head("main")).isEqualTo(first);
            assertThat(repo.head("image-updates")).isEqualTo(auto.getStatus().getLastPushCommit());
            assertThat(file(repo, repo.head("image-updates"), "deploy/app.yaml")).isEqualTo(deployment(image, "2.1.0", s.namespace));
            assertThat(readyMessage(auto.getStatus().getConditions())).contains("to branch 'image-updates'");
        }
    }

    @Test
    void anSshHostThatIsNotInKnownHostsIsRefused() throws IOException {
        String image = registry.image("hostkey/app");
        registry.push("hostkey/app", "1.0.0");
        var s = new ImageScenario("iua-hostkey");
        SshKeyPair key = SshKeyPair.ed25519();
        try (GitSshServer ssh = GitSshServer.start(gitRoot, List.of(key.publicKey()))) {
            TestRepo repo = TestRepo.create(gitRoot, "hostkey-" + s.namespace);
            repo.commit("main", Map.of("deploy/app.yaml", deployment(image, "0.1.0", s.namespace)), "initial");
            s.secret("ssh-auth", Map.of("identity", new String(key.privateKey(), StandardCharsets.UTF_8),
                    "known_hosts", "[127.0.0.1]:1 " + key.publicKey()));
            s.apply(imageRepository("app", image, null));
            s.apply(imagePolicy("app", "app", "policy:\n  semver:\n    range: '*'"));
            s.apply(gitRepository("repo", ssh.url(repo), "ssh-auth"));
            s.apply(automation("auto", "repo", null));
            ImageUpdateAutomation auto = s.awaitAutomation("auto", a -> a.getStatus() != null && ready(a.getStatus().getConditions(), "False")
                    && readyMessage(a.getStatus().getConditions()).contains("known_hosts"));
            assertThat(readyReason(auto.getStatus().getConditions())).isEqualTo("AuthenticationFailed");
            assertThat(readyMessage(auto.getStatus().getConditions())).contains("is not in known_hosts");
        }
    }

    @Test
    void onlyPoliciesMatchingThePolicySelectorAreApplied() {
        String image = registry.image("select/app");
        registry.push("select/app", "1.0.0", "1.5.0");
        var s = new ImageScenario("iua-select");
        TestRepo repo = TestRepo.create(gitRoot, "select-" + s.namespace);
        String file = """
                selected: %s:1.0.0 # {"$imagepolicy": "%s:selected"}
                ignored: %s:1.0.0 # {"$imagepolicy": "%s:ignored"}
                """.formatted(image, s.namespace, image, s.namespace);
        repo.commit("main", Map.of("deploy/values.yaml", file), "initial");
        s.apply(imageRepository("app", image, null));
        s.apply(imagePolicy("selected", "app", "policy:\n  semver:\n    range: '1.x'").replace("  name: selected\n",
                "  name: selected\n  labels:\n    automation: enabled\n"));
        s.apply(imagePolicy("ignored", "app", "policy:\n  semver:\n    range: '1.x'"));
        s.awaitPolicy("ignored", p -> p.getStatus() != null && p.getStatus().getLatestRef() != null);
        s.apply(gitRepository("repo", http.url(repo), null));
        s.apply(automation("auto", "repo", null).replace("  update:\n", "  policySelector:\n    matchLabels:\n      automation: enabled\n  update:\n"));

        ImageUpdateAutomation auto = s.awaitAutomation("auto", a -> a.getStatus() != null && a.getStatus().getLastPushCommit() != null);
        assertThat(file(repo, repo.head("main"), "deploy/values.yaml")).isEqualTo(file.replaceFirst(":1.0.0 #", ":1.5.0 #"));
        assertThat(auto.getStatus().getObservedPolicies()).containsOnlyKeys("selected");
    }

    @Test
    void aRefspecAlonePushesOnlyThroughTheRefspec() {
        String image = registry.image("refspec/app");
        registry.push("refspec/app", "4.0.0", "4.1.0");
        var s = new ImageScenario("iua-refspec");
        TestRepo repo = TestRepo.create(gitRoot, "refspec-" + s.namespace);
        String first = repo.commit("main", Map.of("deploy/app.yaml", deployment(image, "4.0.0", s.namespace)), "initial");
        s.apply(imageRepository("app", image, null));
        s.apply(imagePolicy("app", "app", "policy:\n  semver:\n    range: '4.x'"));
        s.apply(gitRepository("repo", http.url(repo), null));
        s.apply(automation("auto", "repo", "push:\n  refspec: refs/heads/main:refs/heads/review"));

        ImageUpdateAutomation auto = s.awaitAutomation("auto", a -> a.getStatus() != null && a.getStatus().getLastPushCommit() != null);
        assertThat(repo.head("main")).isEqualTo(first);
        assertThat(repo.head("review")).isEqualTo(auto.getStatus().getLastPushCommit());
        assertThat(file(repo, repo.head("review"), "deploy/app.yaml")).isEqualTo(deployment(image, "4.1.0", s.namespace));
        assertThat(readyMessage(auto.getStatus().getConditions())).contains("to refspec 'refs/heads/main:refs/heads/review'");
    }

    @Test
    void anUnsupportedTemplateConstructStallsWithoutCommitting() {
        var s = new ImageScenario("iua-tpl");
        TestRepo repo = TestRepo.create(gitRoot, "tpl-" + s.namespace);
        String first = repo.commit("main", Map.of("deploy/app.yaml", "a: 1\n"), "initial");
        s.apply(gitRepository("repo", http.url(repo), null));
        s.apply(automation("auto", "repo", null).replace("{{ .Values.cluster }}", "{{ .Values.cluster | upper }}"));
        ImageUpdateAutomation auto = s.awaitAutomation("auto", a -> a.getStatus() != null && ready(a.getStatus().getConditions(), "False"));
        assertThat(readyReason(auto.getStatus().getConditions())).isEqualTo("InvalidSourceConfiguration");
        assertThat(readyMessage(auto.getStatus().getConditions())).contains("invalid spec.git.commit.messageTemplate")
                .contains("pipes ('|') are not supported");
        assertThat(repo.head("main")).isEqualTo(first);
    }

    private static RevCommit commit(TestRepo repo, String id) {
        try (Repository r = new FileRepositoryBuilder().setGitDir(repo.path().toFile()).build(); RevWalk walk = new RevWalk(r)) {
            return walk.parseCommit(ObjectId.fromString(id));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String file(TestRepo repo, String commitId, String path) {
        try (Repository r = new FileRepositoryBuilder().setGitDir(repo.path().toFile()).build(); RevWalk walk = new RevWalk(r)) {
            RevCommit c = walk.parseCommit(ObjectId.fromString(commitId));
            try (TreeWalk tw = TreeWalk.forPath(r, path, c.getTree())) {
                if (tw == null) {
                    return null;
                }
                return new String(r.open(tw.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
