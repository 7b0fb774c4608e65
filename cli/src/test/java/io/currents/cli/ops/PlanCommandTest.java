package io.currents.cli.ops;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code currents plan} on a real Git repository made here: a bootstrap path whose Kustomization creates another
 * that creates a third, with a prune, a post-build substitution change and a re-encrypted SOPS Secret between the
 * two commits.
 */
class PlanCommandTest {

    @TempDir
    static Path repo;

    static final String SYNC = """
            apiVersion: source.toolkit.fluxcd.io/v1
            kind: GitRepository
            metadata:
              name: flux-system
              namespace: flux-system
            spec:
              interval: 1m
              url: https://git.example/fleet
              ref:
                branch: main
            ---
            apiVersion: kustomize.toolkit.fluxcd.io/v1
            kind: Kustomization
            metadata:
              name: flux-system
              namespace: flux-system
            spec:
              interval: 10m
              path: ./clusters/prod
              prune: true
              sourceRef:
                kind: GitRepository
                name: flux-system
            """;

    static String apps(String greeting) {
        return """
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata:
                  name: apps
                  namespace: flux-system
                spec:
                  interval: 10m
                  path: ./apps
                  prune: true
                  targetNamespace: apps
                  sourceRef:
                    kind: GitRepository
                    name: flux-system
                  postBuild:
                    substitute:
                      greeting: %s
                    substituteFrom:
                    - kind: ConfigMap
                      name: cluster-vars
                      optional: true
                ---
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata:
                  name: infra
                  namespace: flux-system
                spec:
                  interval: 10m
                  path: ./
                  prune: true
                  sourceRef:
                    kind: OCIRepository
                    name: infra
                """.formatted(greeting);
    }

    static final String NESTED = """
            apiVersion: kustomize.toolkit.fluxcd.io/v1
            kind: Kustomization
            metadata:
              name: web
              namespace: flux-system
            spec:
              interval: 10m
              path: ./web
              prune: true
              sourceRef:
                kind: GitRepository
                name: flux-system
            """;

    static String secret(String ciphertext) {
        return """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: db
                type: Opaque
                stringData:
                  password: ENC[AES256_GCM,data:%s,iv:aXY=,tag:dGFn,type:str]
                sops:
                  mac: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]
                  lastmodified: "2024-01-01T00:00:00Z"
                  version: 3.8.1
                """.formatted(ciphertext);
    }

    /** A HelmRelease of a chart in this repository, and one whose HelmRepository cannot be reached. */
    static String releases(String greeting) {
        return """
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata:
                  name: hello
                spec:
                  interval: 10m
                  chart:
                    spec:
                      chart: ./charts/hello
                      valuesFiles: [values-prod.yaml]
                      sourceRef:
                        kind: GitRepository
                        name: flux-system
                        namespace: flux-system
                  values:
                    greeting: %s
                  postRenderers:
                  - kustomize:
                      patches:
                      - patch: '[{"op": "add", "path": "/metadata/labels/team", "value": "a"}]'
                        target: {kind: ConfigMap}
                ---
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata:
                  name: podinfo
                spec:
                  interval: 10m
                  chart:
                    spec:
                      chart: podinfo
                      sourceRef:
                        kind: HelmRepository
                        name: podinfo
                ---
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: HelmRepository
                metadata:
                  name: podinfo
                spec:
                  interval: 1h
                  url: http://127.0.0.1:9/charts
                """.formatted(greeting);
    }

    @BeforeAll
    static void twoCommits() throws Exception {
        try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            write(Map.of(
                    "clusters/prod/flux-system/gotk-sync.yaml", SYNC,
                    "clusters/prod/apps.yaml", apps("hello"),
                    "apps/kustomization.yaml", "resources: [greeting.yaml, legacy.yaml, secret.enc.yaml, web.yaml, releases.yaml]\n",
                    "apps/releases.yaml", releases("hello")));
            write(Map.of(
                    "charts/hello/Chart.yaml", "apiVersion: v2\nname: hello\nversion: 1.0.0\n",
                    "charts/hello/templates/greeting.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-greeting\n"
                            + "data:\n  greeting: {{ .Values.greeting | quote }}\n  color: {{ .Values.color | quote }}\n",
                    "charts/hello/values-prod.yaml", "color: blue\n",
                    "apps/greeting.yaml", configMap("greeting", "message: ${greeting}, world"),
                    "apps/legacy.yaml", configMap("legacy", "old: \"true\""),
                    "apps/secret.enc.yaml", secret("cGFzcw=="),
                    "apps/web.yaml", NESTED,
                    "web/settings.yaml", configMap("web-settings", "replicas: \"1\"")));
            commit(git, "base", 0);
            Files.delete(repo.resolve("apps/legacy.yaml"));
            write(Map.of(
                    "clusters/prod/apps.yaml", apps("hi"),
                    "apps/kustomization.yaml", "resources: [greeting.yaml, secret.enc.yaml, web.yaml, releases.yaml]\n",
                    "apps/releases.yaml", releases("hi"),
                    "apps/secret.enc.yaml", secret("bmV3cGFzcw=="),
                    "web/settings.yaml", configMap("web-settings", "replicas: \"3\"") + "---\n" + configMap("web-flags", "beta: \"on\"")));
            git.rm().addFilepattern("apps/legacy.yaml").call();
            commit(git, "head", 60);
            git.tag().setName("head").call();
            git.tag().setName("base").setObjectId(git.getRepository().parseCommit(git.getRepository().resolve("HEAD~1"))).call();
            write(Map.of("web/kustomization.yaml", "resources: [missing.yaml]\n"));
            commit(git, "broken", 120);
            git.branchCreate().setName("broken").call();
        }
    }

    @Test
    void aChangeIsPrintedPerKustomizationWithThePruneFirstAndExitsOne() {
        Cli.Run run = plan("text");
        assertThat(run.code()).as(run.err()).isEqualTo(1);
        Cli.assertGolden("plan/plan.txt", run.out());
        assertThat(run.out().indexOf("WILL BE DELETED")).isLessThan(run.out().indexOf("Kustomization flux-system/apps\n"));
        assertThat(run.out()).doesNotContain("cGFzcw==").doesNotContain("bmV3cGFzcw==");
        assertThat(run.out()).contains("HelmRelease apps/hello\n  ~ update ConfigMap apps/hello-greeting")
                .contains("HelmRelease apps/podinfo: chart podinfo from HelmRepository apps/podinfo is unreachable")
                .contains("Planned in part:\n  ⚠ Kustomization flux-system/apps: postBuild.substituteFrom is read from the cluster")
                .contains("⚠ HelmRelease apps/hello: spec.postRenderers are not applied by plan")
                .contains("       color: blue\n      -  greeting: hello\n      +  greeting: hi");
    }

    @Test
    void jsonAndMarkdownCarryTheSamePlan() {
        Cli.Run json = plan("json");
        assertThat(json.code()).isEqualTo(1);
        Cli.assertGolden("plan/plan.json", json.out());
        Cli.Run markdown = plan("markdown");
        assertThat(markdown.code()).isEqualTo(1);
        Cli.assertGolden("plan/plan.md", markdown.out());
    }

    @Test
    void theSameRevisionOnBothSidesPlansNothingAndExitsZero() {
        Cli.Run run = Cli.run("plan", "--repo", repo.toString(), "--base", "head", "--head", "head", "--path", "clusters/prod");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("Plan: 0 to create, 0 to update, 0 to delete");
    }

    @Test
    void aBuildThatFailsAtTheHeadExitsTwoAndNamesTheKustomization() {
        Cli.Run run = Cli.run("plan", "--repo", repo.toString(), "--base", "head", "--head", "broken", "--path", "clusters/prod");
        assertThat(run.code()).as(run.out() + run.err()).isEqualTo(2);
        assertThat(run.out()).contains("Kustomization apps/web at head broken@sha1:").contains("missing.yaml");
    }

    @Test
    void anUnknownRevisionIsAnErrorWithExitTwo() {
        Cli.Run run = Cli.run("plan", "--repo", repo.toString(), "--base", "nope", "--head", "head", "--path", "clusters/prod");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("revision 'nope' not found");
    }

    @Test
    void kustomizationsOfADirectoryAndOfItsSubdirectoryBuildSideBySide(@TempDir Path nested) throws Exception {
        String ks = """
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata: {name: %s, namespace: flux-system}
                spec: {interval: 10m, path: %s, prune: true, sourceRef: {kind: GitRepository, name: flux-system}}
                """;
        Files.createDirectories(nested.resolve("clusters/prod"));
        Files.createDirectories(nested.resolve("platform/sub"));
        Files.writeString(nested.resolve("clusters/prod/ks.yaml"), ks.formatted("platform", "./platform") + "---\n" + ks.formatted("sub", "./platform/sub"));
        Files.writeString(nested.resolve("platform/kustomization.yaml"), "resources: [a.yaml]\n");
        Files.writeString(nested.resolve("platform/a.yaml"), configMap("a", "x: \"1\""));
        Files.writeString(nested.resolve("platform/sub/b.yaml"), configMap("b", "x: \"1\""));
        try (Git git = Git.init().setDirectory(nested.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            PersonIdent who = new PersonIdent("Test", "test@example.com", Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);
            git.commit().setMessage("one").setAuthor(who).setCommitter(who).call();
            Files.writeString(nested.resolve("platform/sub/b.yaml"), configMap("b", "x: \"2\""));
            git.add().addFilepattern(".").call();
            git.commit().setMessage("two").setAuthor(who).setCommitter(who).call();
        }
        for (int i = 0; i < 3; i++) {
            Cli.Run run = Cli.run("plan", "--repo", nested.toString(), "--path", "clusters/prod");
            assertThat(run.code()).as(run.out() + run.err()).isEqualTo(1);
            assertThat(run.out()).contains("Kustomization flux-system/sub\n  ~ update ConfigMap b")
                    .contains("Plan: 0 to create, 1 to update, 0 to delete, 0 left behind (prune disabled); 3 unchanged, 0 not planned, 0 errors.");
        }
    }

    private static Cli.Run plan(String format) {
        return Cli.run("plan", "--repo", repo.toString(), "--base", "base", "--head", "head", "--path", "clusters/prod", "-o", format);
    }

    private static String configMap(String name, String data) {
        return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\ndata:\n  " + data + "\n";
    }

    private static void write(Map<String, String> files) throws IOException {
        for (var e : files.entrySet()) {
            Path file = repo.resolve(e.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue());
        }
    }

    /** A commit with fixed author and time, so its id (printed in the plan) is the same on every run. */
    private static void commit(Git git, String message, int seconds) throws Exception {
        git.add().addFilepattern(".").call();
        PersonIdent who = new PersonIdent("Test", "test@example.com", Instant.ofEpochSecond(1_700_000_000L + seconds), ZoneOffset.UTC);
        git.commit().setMessage(message).setAuthor(who).setCommitter(who).call();
    }
}
