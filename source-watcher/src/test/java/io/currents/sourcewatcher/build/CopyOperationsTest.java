package io.currents.sourcewatcher.build;

import io.currents.api.source.extensions.v1beta1.CopyOperation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Copy operations have cp's semantics, as Flux documents them; later operations overwrite earlier ones. */
class CopyOperationsTest {

    @TempDir
    Path tmp;
    Path backend;
    Path config;
    Path staging;

    @BeforeEach
    void sources() throws IOException {
        backend = tmp.resolve("backend");
        write(backend, "deploy/app.yaml", "app: backend");
        write(backend, "deploy/service.yaml", "kind: Service");
        write(backend, "deploy/sub/db.yaml", "db: backend");
        write(backend, "README.md", "docs");
        config = tmp.resolve("config");
        write(config, "envs/prod/configmap.yaml", "env: prod");
        write(config, "envs/prod/values.yaml", "replicas: 3\nimage:\n  tag: v2\nports: [80]\n");
        write(config, "charts/base/values.yaml", "replicas: 1\nimage:\n  repository: app\n  tag: v1\nports: [8080, 9090]\n");
        staging = Files.createDirectories(tmp.resolve("staging"));
    }

    @Test
    void aFileGoesToTheNamedPathOrIntoADirectory() throws Exception {
        assemble(op("@config/envs/prod/configmap.yaml", "@artifact/app/env.yaml"),
                op("@config/envs/prod/configmap.yaml", "@artifact/into/"),
                op("@backend/README.md", "@artifact/app"));
        assertThat(files()).containsOnlyKeys("app/env.yaml", "into/configmap.yaml", "app/README.md");
    }

    @Test
    void aDirectoryIsCopiedAsASubdirectoryAndDirStarStarAsItsContents() throws Exception {
        assemble(op("@backend/deploy", "@artifact/as-dir"), op("@backend/deploy/", "@artifact/as-dir-slash/"),
                op("@backend/deploy/**", "@artifact/contents/"));
        assertThat(files()).containsOnlyKeys(
                "as-dir/deploy/app.yaml", "as-dir/deploy/service.yaml", "as-dir/deploy/sub/db.yaml",
                "as-dir-slash/deploy/app.yaml", "as-dir-slash/deploy/service.yaml", "as-dir-slash/deploy/sub/db.yaml",
                "contents/app.yaml", "contents/service.yaml", "contents/sub/db.yaml");
    }

    @Test
    void theSourceRootCopiesEverything() throws Exception {
        assemble(op("@backend/", "@artifact/"));
        assertThat(files()).containsOnlyKeys("deploy/app.yaml", "deploy/service.yaml", "deploy/sub/db.yaml", "README.md");
    }

    @Test
    void aGlobKeepsThePathOfEachMatch() throws Exception {
        assemble(op("@backend/deploy/*.yaml", "@artifact/manifests/"));
        assertThat(files()).containsOnlyKeys("manifests/deploy/app.yaml", "manifests/deploy/service.yaml");
    }

    @Test
    void laterOperationsOverwriteFilesAndKeepTheOthers() throws Exception {
        write(config, "deploy/app.yaml", "app: from-config");
        assemble(op("@backend/deploy/**", "@artifact/"), op("@config/deploy/**", "@artifact/"));
        assertThat(files()).containsEntry("app.yaml", "app: from-config").containsEntry("service.yaml", "kind: Service");
    }

    @Test
    void mergeDeepMergesYamlAndReplacesLists() throws Exception {
        CopyOperation merge = op("@config/envs/prod/values.yaml", "@artifact/chart/values.yaml");
        merge.setStrategy("Merge");
        assemble(op("@config/charts/base/values.yaml", "@artifact/chart/values.yaml"), merge);
        assertThat(files().get("chart/values.yaml")).isEqualTo("""
                image:
                  repository: app
                  tag: v2
                ports:
                - 80
                replicas: 3
                """);
    }

    @Test
    void mergeOfAMissingTargetIsACopy() throws Exception {
        CopyOperation merge = op("@config/envs/prod/values.yaml", "@artifact/values.yaml");
        merge.setStrategy("Merge");
        assemble(merge);
        assertThat(files()).containsEntry("values.yaml", "replicas: 3\nimage:\n  tag: v2\nports: [80]\n");
    }

    @Test
    void excludesMatchFromTheSourceRootFromTheSelectionOrByFileName() throws Exception {
        write(backend, "deploy/testdata/fixture.yaml", "x");
        CopyOperation op = op("@backend/**", "@artifact/");
        op.setExclude(List.of("*.md", "**/testdata/**", "deploy/sub/**"));
        assemble(op);
        assertThat(files()).containsOnlyKeys("deploy/app.yaml", "deploy/service.yaml");

        CopyOperation selected = op("@backend/deploy/**", "@artifact/selected/");
        selected.setExclude(List.of("sub/**"));
        assemble(selected);
        assertThat(files()).containsKeys("selected/app.yaml").doesNotContainKey("selected/sub/db.yaml");
    }

    @Test
    void extractUnpacksTarballsFoundByAGlob() throws Exception {
        tarball(backend.resolve("releases/v1/mychart-1.0.0.tgz"),
                Map.of("mychart/Chart.yaml", "name: mychart", "mychart/templates/cm.yaml", "kind: ConfigMap"));
        CopyOperation op = op("@backend/releases/**/*.tgz", "@artifact/charts/");
        op.setStrategy("Extract");
        assemble(op);
        assertThat(files()).containsOnlyKeys("charts/mychart/Chart.yaml", "charts/mychart/templates/cm.yaml");
    }

    @Test
    void mistakesAreNamedInTheError() {
        assertThatThrownBy(() -> assemble(op("@backend/missing.yaml", "@artifact/"))).isInstanceOf(BuildException.class)
                .hasMessage("failed to apply copy operation from '@backend/missing.yaml' to '@artifact/': source 'missing.yaml' does not exist");
        assertThatThrownBy(() -> assemble(op("@backend/*.json", "@artifact/")))
                .hasMessageContaining("no files match pattern '*.json' in source 'backend'");
        assertThatThrownBy(() -> assemble(op("@nope/a.yaml", "@artifact/"))).hasMessageContaining("source alias 'nope' not found");
        assertThatThrownBy(() -> assemble(op("@backend/[", "@artifact/"))).hasMessageContaining("syntax error in pattern");
        CopyOperation all = op("@backend/*.md", "@artifact/");
        all.setExclude(List.of("*.md"));
        assertThatThrownBy(() -> assemble(all)).hasMessageContaining("were excluded");
        CopyOperation dir = op("@backend/deploy", "@artifact/");
        dir.setStrategy("Extract");
        assertThatThrownBy(() -> assemble(dir)).hasMessageContaining("extract strategy is not supported for directories");
    }

    @Test
    void nothingIsReadOrWrittenOutsideTheSourcesAndTheArtifact() throws Exception {
        Files.writeString(tmp.resolve("secret.txt"), "outside");
        Files.createSymbolicLink(backend.resolve("escape.txt"), tmp.resolve("secret.txt"));
        assertThatThrownBy(() -> assemble(op("@backend/escape.txt", "@artifact/"))).hasMessageContaining("links outside the source");
        assertThatThrownBy(() -> assemble(op("@backend/../secret.txt", "@artifact/"))).hasMessageContaining("outside the source");
        assertThatThrownBy(() -> assemble(op("@backend/README.md", "@artifact/../../escaped.md"))).hasMessageContaining("outside the artifact");
        assertThat(tmp.resolve("escaped.md")).doesNotExist();
    }

    @Test
    void theStagedSizeIsCapped() throws Exception {
        write(backend, "big.bin", "x".repeat(10_000));
        ArtifactAssembler small = new ArtifactAssembler(Map.of("backend", backend), staging, 5_000);
        assertThatThrownBy(() -> small.apply(List.of(op("@backend/big.bin", "@artifact/"))))
                .hasMessageContaining("larger than the limit of 5000 bytes");
    }

    private void assemble(CopyOperation... ops) throws Exception {
        new ArtifactAssembler(Map.of("backend", backend, "config", config), staging, 1 << 20).apply(Arrays.asList(ops));
    }

    static CopyOperation op(String from, String to) {
        CopyOperation op = new CopyOperation();
        op.setFrom(from);
        op.setTo(to);
        return op;
    }

    private Map<String, String> files() throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(staging)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(staging.relativize(p).toString(), Files.readString(p));
            }
        }
        return files;
    }

    /** A .tgz as helm package writes one. */
    static void tarball(Path file, Map<String, String> entries) throws IOException {
        Files.createDirectories(file.getParent());
        try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
                new java.util.zip.GZIPOutputStream(Files.newOutputStream(file)))) {
            for (var e : new TreeMap<>(entries).entrySet()) {
                byte[] content = e.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(e.getKey());
                entry.setSize(content.length);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
    }

    static void write(Path root, String rel, String content) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }
}
