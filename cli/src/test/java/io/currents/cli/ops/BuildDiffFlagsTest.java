package io.currents.cli.ops;

import io.currents.cli.output.ExitCodes;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * flux's {@code build/diff kustomization} flags {@code --recursive} with {@code --local-sources}, {@code --ignore-paths},
 * {@code --strict-substitute} and {@code diff --progress-bar}.
 */
@Tag("cluster")
class BuildDiffFlagsTest {

    /** A fleet repository: clusters/dev holds the Kustomization apps, which applies ./apps of the GitRepository fleet. */
    private static Path fleet(Path tmp, String namespace) throws Exception {
        Path repo = tmp.resolve("fleet");
        Files.createDirectories(repo.resolve("clusters/dev"));
        Files.createDirectories(repo.resolve("apps"));
        Files.writeString(repo.resolve("clusters/dev/apps.yaml"), """
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata:
                  name: apps
                  namespace: %s
                spec:
                  interval: 10m
                  path: ./apps
                  prune: true
                  sourceRef:
                    kind: GitRepository
                    name: fleet
                  postBuild:
                    substitute:
                      color: green
                """.formatted(namespace));
        Files.writeString(repo.resolve("apps/settings.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: settings
                  namespace: %s
                data:
                  color: ${color}
                """.formatted(namespace));
        Files.writeString(tmp.resolve("infra.yaml"), """
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata:
                  name: infra
                  namespace: %s
                spec:
                  interval: 10m
                  path: ./clusters/dev
                  prune: true
                  sourceRef:
                    kind: GitRepository
                    name: fleet
                """.formatted(namespace));
        return repo;
    }

    @Test
    void recursiveBuildsTheNestedKustomizationsFromTheirLocalSources(@TempDir Path tmp) throws Exception {
        Path repo = fleet(tmp, "fleet-ns");
        Cli.Run r = Cli.run("build", "kustomization", "infra", "-n", "fleet-ns", "--path", repo.resolve("clusters/dev").toString(),
                "--kustomization-file", tmp.resolve("infra.yaml").toString(), "--dry-run", "--recursive",
                "--local-sources", "GitRepository/fleet-ns/fleet=" + repo);
        assertThat(r.code()).as(r.err()).isZero();
        Cli.assertGolden("build/recursive.yaml", r.out());
        assertThat(r.out()).contains("kustomize.toolkit.fluxcd.io/name: apps", "color: green");

        Cli.Run flat = Cli.run("build", "kustomization", "infra", "-n", "fleet-ns", "--path", repo.resolve("clusters/dev").toString(),
                "--kustomization-file", tmp.resolve("infra.yaml").toString(), "--dry-run");
        assertThat(flat.out()).contains("kind: Kustomization").doesNotContain("kind: ConfigMap");

        Cli.Run missing = Cli.run("build", "kustomization", "infra", "-n", "fleet-ns", "--path", repo.resolve("clusters/dev").toString(),
                "--kustomization-file", tmp.resolve("infra.yaml").toString(), "--dry-run", "-r");
        assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).isEqualTo("✗ cannot get local path for GitRepository/fleet-ns/fleet of kustomization apps; pass its"
                + " local directory with --local-sources GitRepository/fleet-ns/fleet=<dir>\n");
    }

    @Test
    void ignorePathsLeavesMatchingFilesOutOfTheBuild(@TempDir Path tmp) throws Exception {
        Path repo = fleet(tmp, "fleet-ns");
        Files.createDirectories(repo.resolve("apps/drafts"));
        Files.writeString(repo.resolve("apps/drafts/draft.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: draft\n");
        Files.writeString(repo.resolve("apps/old.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: old\n");
        Files.writeString(tmp.resolve("apps.yaml"), Files.readString(repo.resolve("clusters/dev/apps.yaml")));
        String[] base = {"build", "kustomization", "apps", "-n", "fleet-ns", "--path", repo.resolve("apps").toString(),
                "--kustomization-file", tmp.resolve("apps.yaml").toString(), "--dry-run"};
        Cli.Run all = Cli.run(base);
        assertThat(all.out()).contains("name: draft", "name: old", "name: settings");
        Cli.Run ignored = Cli.run(concat(base, "--ignore-paths", "/drafts/**,old.yaml"));
        assertThat(ignored.code()).as(ignored.err()).isZero();
        Cli.assertGolden("build/ignore-paths.yaml", ignored.out());
        assertThat(ignored.out()).contains("name: settings").doesNotContain("name: draft", "name: old");
        assertThat(repo.resolve("apps/old.yaml")).as("the user's files stay").exists();
    }

    @Test
    void strictSubstituteFailsOnAVariableWithoutValueOrDefault(@TempDir Path tmp) throws Exception {
        Path repo = fleet(tmp, "fleet-ns");
        Files.writeString(repo.resolve("apps/more.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: more\ndata:\n"
                + "  size: ${size}\n  shape: ${shape:=round}\n");
        Files.writeString(tmp.resolve("apps.yaml"), Files.readString(repo.resolve("clusters/dev/apps.yaml")));
        String[] base = {"build", "kustomization", "apps", "-n", "fleet-ns", "--path", repo.resolve("apps").toString(),
                "--kustomization-file", tmp.resolve("apps.yaml").toString(), "--dry-run"};
        Cli.Run lenient = Cli.run(base);
        assertThat(lenient.code()).as(lenient.err()).isZero();
        assertThat(lenient.out()).as("an unset variable becomes empty").contains("size: null", "shape: round");
        Cli.Run strict = Cli.run(concat(base, "--strict-substitute"));
        assertThat(strict.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(strict.out()).isEmpty();
        assertThat(strict.err()).startsWith("✗ ").contains("variable not set (strict mode): \"size\"");
    }

    @Test
    void inMemoryBuildWritesNothingBesideThePathAndBuildsTheSame(@TempDir Path tmp) throws Exception {
        // a Git work tree: an overlay reaching its base through ../../base, with a generator (which the build writes out)
        Path repo = tmp.resolve("fleet");
        Files.createDirectories(repo.resolve(".git"));
        Files.createDirectories(repo.resolve("base"));
        Files.createDirectories(repo.resolve("overlays/dev"));
        Files.writeString(repo.resolve("base/kustomization.yaml"), "resources:\n- settings.yaml\n");
        Files.writeString(repo.resolve("base/settings.yaml"),
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  color: ${color}\n");
        Files.writeString(repo.resolve("overlays/dev/kustomization.yaml"), "namespace: dev\nresources:\n- ../../base\n"
                + "configMapGenerator:\n- name: extra\n  literals:\n  - size=large\n");
        Files.writeString(tmp.resolve("apps.yaml"), """
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata:
                  name: apps
                  namespace: fleet-ns
                spec:
                  interval: 10m
                  path: ./overlays/dev
                  prune: true
                  sourceRef:
                    kind: GitRepository
                    name: fleet
                  postBuild:
                    substitute:
                      color: green
                """);
        String[] base = {"build", "kustomization", "apps", "-n", "fleet-ns", "--path", repo.resolve("overlays/dev").toString(),
                "--kustomization-file", tmp.resolve("apps.yaml").toString(), "--dry-run"};

        java.util.List<String> onDisk = new java.util.ArrayList<>();
        Cli.Run copied = watchingCreations(repo.resolve("overlays"), onDisk, () -> Cli.run(base));
        assertThat(copied.code()).as(copied.err()).isZero();
        assertThat(onDisk).as("the default build copies --path beside it").anyMatch(n -> n.startsWith(".dev.currents-build-"));

        java.util.List<String> inMemory = new java.util.ArrayList<>();
        Cli.Run memory = watchingCreations(repo.resolve("overlays"), inMemory, () -> Cli.run(concat(base, "--in-memory-build")));
        assertThat(memory.code()).as(memory.err()).isZero();
        assertThat(inMemory).as("nothing is created beside --path").isEmpty();
        Cli.assertGolden("build/in-memory.yaml", memory.out());
        assertThat(memory.out()).isEqualTo(copied.out()).contains("color: green", "size: large", "namespace: dev");
        try (var files = Files.walk(repo)) {
            assertThat(files.map(f -> repo.relativize(f).toString()).sorted().toList()).as("the tree is as it was")
                    .containsExactly("", ".git", "base", "base/kustomization.yaml", "base/settings.yaml", "overlays", "overlays/dev",
                            "overlays/dev/kustomization.yaml");
        }

    }

    /** Runs the build while recording the names created in {@code dir} (inotify through the JDK's WatchService). */
    private static Cli.Run watchingCreations(Path dir, java.util.List<String> created, java.util.function.Supplier<Cli.Run> run)
            throws Exception {
        try (var watcher = dir.getFileSystem().newWatchService()) {
            dir.register(watcher, java.nio.file.StandardWatchEventKinds.ENTRY_CREATE);
            Cli.Run result = run.get();
            for (var key = watcher.poll(2, java.util.concurrent.TimeUnit.SECONDS); key != null; key = watcher.poll()) {
                key.pollEvents().forEach(e -> created.add(String.valueOf(e.context())));
                key.reset();
            }
            return result;
        }
    }

    @Test
    void diffRecursiveComparesEachNestedKustomizationWithTheCluster(@TempDir Path tmp) throws Exception {
        String ns = Cluster.namespace("diff-recursive");
        Path repo = fleet(tmp, ns);
        Cluster.create(ns, Files.readString(tmp.resolve("infra.yaml")));
        String[] args = {"diff", "kustomization", "infra", "--path", repo.resolve("clusters/dev").toString(), "--recursive",
                "--local-sources", "GitRepository/" + ns + "/fleet=" + repo, "--progress-bar=false"};
        Cli.Run r = Cluster.run(ns, args);
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.DRIFT);
        assertThat(r.out()).isEqualTo("► Kustomization/" + ns + "/apps created\n► ConfigMap/" + ns + "/settings created\n");

        Cluster.create(ns, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  labels:\n"
                + "    kustomize.toolkit.fluxcd.io/name: apps\n    kustomize.toolkit.fluxcd.io/namespace: " + ns + "\ndata:\n  color: red\n");
        Cli.Run drifted = Cluster.run(ns, args);
        assertThat(drifted.out()).contains("► ConfigMap/" + ns + "/settings drifted\n\ndata.color\n± value change\n- red\n+ green\n");
        Cli.Run withBar = Cluster.run(ns, java.util.Arrays.copyOf(args, args.length - 1));
        assertThat(withBar.out()).as("the progress bar only shows on a terminal").isEqualTo(drifted.out());
    }

    private static String[] concat(String[] base, String... more) {
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }
}
