package io.currents.runtime.artifact;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Flux's exclusion rules: defaults, nested {@code .sourceignore} files and {@code spec.ignore}, last match wins. */
class SourceIgnoreTest {

    @TempDir
    Path root;

    @Test
    void defaultsExcludeVcsCiImagesArchivesAndToolFiles() {
        SourceIgnore ignore = SourceIgnore.withDefaults(null);

        assertThat(ignore.isIgnored(".git", true)).isTrue();
        assertThat(ignore.isIgnored(".git/config", false)).isTrue();
        assertThat(ignore.isIgnored("sub/.git", true)).isTrue();
        assertThat(ignore.isIgnored(".gitignore", false)).isTrue();
        assertThat(ignore.isIgnored("deploy/.gitattributes", false)).isTrue();
        assertThat(ignore.isIgnored(".github/workflows/ci.yaml", false)).isTrue();
        assertThat(ignore.isIgnored("logo.png", false)).isTrue();
        assertThat(ignore.isIgnored("docs/img/shot.JPG", false)).isFalse(); // patterns are case-sensitive, as in Flux
        assertThat(ignore.isIgnored("docs/img/shot.jpg", false)).isTrue();
        assertThat(ignore.isIgnored("release.tar.gz", false)).isTrue();
        assertThat(ignore.isIgnored("apps/.sops.yaml", false)).isTrue();
        assertThat(ignore.isIgnored(".flux.yaml", false)).isTrue();
        assertThat(ignore.isIgnored("cloudbuild.yaml", false)).isTrue();
        assertThat(ignore.isIgnored("deploy/app.yaml", false)).isFalse();
        assertThat(ignore.isIgnored("deploy", true)).isFalse();
    }

    @Test
    void specIgnoreCanKeepOnlyOneDirectory() {
        SourceIgnore ignore = SourceIgnore.withDefaults("# keep only deploy\n/*\n!/deploy/\n");

        assertThat(ignore.isIgnored("deploy", true)).isFalse();
        assertThat(ignore.isIgnored("deploy/app.yaml", false)).isFalse();
        assertThat(ignore.isIgnored("deploy/nested/app.yaml", false)).isFalse();
        assertThat(ignore.isIgnored("README.md", false)).isTrue();
        assertThat(ignore.isIgnored("other", true)).isTrue();
        assertThat(ignore.isIgnored("other/app.yaml", false)).isTrue();
        // a file named like the kept directory is not kept: "!/deploy/" only matches directories
        assertThat(SourceIgnore.withDefaults("/*\n!/deploy/").isIgnored("deploy", false)).isTrue();
    }

    @Test
    void specIgnoreCanReincludeDefaults() {
        SourceIgnore ignore = SourceIgnore.withDefaults("!*.png\n");

        assertThat(ignore.isIgnored("charts/icon.png", false)).isFalse();
        assertThat(ignore.isIgnored("charts/icon.jpg", false)).isTrue();
    }

    @Test
    void patternsWithoutSlashMatchAtAnyDepthAndTakeDirectoriesAlong() {
        SourceIgnore ignore = SourceIgnore.withDefaults("node_modules\n*.tmp\nbuild/\n");

        assertThat(ignore.isIgnored("web/node_modules", true)).isTrue();
        assertThat(ignore.isIgnored("web/node_modules/x/index.js", false)).isTrue();
        assertThat(ignore.isIgnored("a/b/c.tmp", false)).isTrue();
        assertThat(ignore.isIgnored("out/build/x.yaml", false)).isTrue();
        assertThat(ignore.isIgnored("build", false)).isFalse();
        assertThat(ignore.isIgnored("build", true)).isTrue();
    }

    @Test
    void patternsWithSlashAreAnchoredAndDoubleStarSpansDirectories() {
        SourceIgnore ignore = SourceIgnore.withDefaults("/top.yaml\ndocs/*.md\n**/secrets/*.enc\n");

        assertThat(ignore.isIgnored("top.yaml", false)).isTrue();
        assertThat(ignore.isIgnored("sub/top.yaml", false)).isFalse();
        assertThat(ignore.isIgnored("docs/a.md", false)).isTrue();
        assertThat(ignore.isIgnored("x/docs/a.md", false)).isFalse();
        assertThat(ignore.isIgnored("secrets/k.enc", false)).isTrue();
        assertThat(ignore.isIgnored("a/b/secrets/k.enc", false)).isTrue();
        assertThat(ignore.isIgnored("a/b/secrets/k.yaml", false)).isFalse();
    }

    @Test
    void globSyntaxFollowsGoFilepathMatch() {
        SourceIgnore ignore = SourceIgnore.withDefaults("file?.txt\n[abc]-*.yaml\n[^x]y.md\n\\#literal\n");

        assertThat(ignore.isIgnored("file1.txt", false)).isTrue();
        assertThat(ignore.isIgnored("file10.txt", false)).isFalse();
        assertThat(ignore.isIgnored("b-app.yaml", false)).isTrue();
        assertThat(ignore.isIgnored("d-app.yaml", false)).isFalse();
        assertThat(ignore.isIgnored("ay.md", false)).isTrue();
        assertThat(ignore.isIgnored("xy.md", false)).isFalse();
        assertThat(ignore.isIgnored("#literal", false)).isTrue();
    }

    @Test
    void sourceignoreFilesApplyRelativeToTheirOwnDirectory() throws IOException {
        write(".sourceignore", "*.md\n");
        write("deploy/.sourceignore", "secret.yaml\n/local.yaml\n");
        write("deploy/sub/.sourceignore", "!keep.md\n");

        SourceIgnore ignore = SourceIgnore.load(root, null);

        assertThat(ignore.isIgnored("README.md", false)).isTrue();
        assertThat(ignore.isIgnored("deploy/secret.yaml", false)).isTrue();
        assertThat(ignore.isIgnored("deploy/sub/secret.yaml", false)).isTrue();
        assertThat(ignore.isIgnored("secret.yaml", false)).isFalse();
        assertThat(ignore.isIgnored("deploy/local.yaml", false)).isTrue();
        assertThat(ignore.isIgnored("deploy/sub/local.yaml", false)).isFalse();
        assertThat(ignore.isIgnored("deploy/sub/keep.md", false)).isFalse();
        assertThat(ignore.isIgnored("deploy/other.md", false)).isTrue();
    }

    @Test
    void specIgnoreComesAfterTheTreesFiles() throws IOException {
        write(".sourceignore", "*.txt\n");

        SourceIgnore ignore = SourceIgnore.load(root, "!keep.txt\n");

        assertThat(ignore.isIgnored("keep.txt", false)).isFalse();
        assertThat(ignore.isIgnored("drop.txt", false)).isTrue();
    }

    @Test
    void withoutDefaultsOnlyTheGivenRulesApply() throws IOException {
        SourceIgnore ignore = SourceIgnore.load(root, "*.log", false);

        assertThat(ignore.isIgnored("logo.png", false)).isFalse();
        assertThat(ignore.isIgnored("x.log", false)).isTrue();
    }

    @Test
    void sourceignoreInsideGitDirectoryIsNotRead() throws IOException {
        write(".git/.sourceignore", "*.yaml\n");

        assertThat(SourceIgnore.load(root, null).isIgnored("app.yaml", false)).isFalse();
    }

    private void write(String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
