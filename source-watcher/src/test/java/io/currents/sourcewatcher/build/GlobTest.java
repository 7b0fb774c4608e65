package io.currents.sourcewatcher.build;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Copy patterns follow Go's path.Match and fs.Glob; excludes and Extract follow doublestar. */
class GlobTest {

    @Test
    void aStarStaysWithinOnePathSegment() {
        assertThat(Glob.matchSegments("*.yaml", "app.yaml")).isTrue();
        assertThat(Glob.matchSegments("*.yaml", "dir/app.yaml")).isFalse();
        assertThat(Glob.matchSegments("deploy/*", "deploy/app.yaml")).isTrue();
        assertThat(Glob.matchSegments("deploy/**", "deploy/app.yaml")).as("** is * for path.Match").isTrue();
        assertThat(Glob.matchSegments("deploy/**", "deploy/sub/app.yaml")).isFalse();
        assertThat(Glob.matchSegments("v?.[0-9]", "v1.7")).isTrue();
        assertThat(Glob.matchSegments("[^a]*", "abc")).isFalse();
        assertThat(Glob.matchSegments("\\*", "*")).isTrue();
        assertThat(Glob.matchSegments("*", ".hidden")).as("no special case for dot files").isTrue();
    }

    @Test
    void malformedPatternsAreRefusedAsGoRefusesThem() {
        for (String bad : new String[] {"[", "a[", "[]", "[a-]", "\\", "[z-a]"}) {
            assertThatThrownBy(() -> Glob.validate(bad)).as(bad).isInstanceOf(Glob.BadPatternException.class)
                    .hasMessageContaining("syntax error in pattern");
        }
    }

    @Test
    void doubleStarSpansDirectoriesAndMatchesItsOwnDirectory() {
        assertThat(Glob.matchDoublestar("**/*.tgz", "a/b/c.tgz")).isTrue();
        assertThat(Glob.matchDoublestar("**/*.tgz", "c.tgz")).isTrue();
        assertThat(Glob.matchDoublestar("tests/**", "tests")).isTrue();
        assertThat(Glob.matchDoublestar("tests/**", "tests/unit/a.go")).isTrue();
        assertThat(Glob.matchDoublestar("**/.*", ".hidden")).isTrue();
        assertThat(Glob.matchDoublestar("*.{yaml,yml}", "a.yml")).isTrue();
        assertThat(Glob.matchDoublestar("[!a]*", "abc")).isFalse();
        assertThat(Glob.matchDoublestar("a/*/c", "a/b/x/c")).isFalse();
    }

    @Test
    void hostilePatternsMatchInLinearTime() {
        String name = "a".repeat(250);
        String pattern = "*a".repeat(200) + "b";
        long start = System.nanoTime();
        assertThat(Glob.matchSegments(pattern, name)).isFalse();
        assertThat(Glob.matchDoublestar("**/".repeat(30) + pattern, "x/".repeat(30) + name)).isFalse();
        assertThat(System.nanoTime() - start).as("nanoseconds").isLessThan(2_000_000_000L);
    }

    @Test
    void globListsMatchingEntriesSortedPerDirectory(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("deploy/sub"));
        Files.writeString(root.resolve("deploy/b.yaml"), "b");
        Files.writeString(root.resolve("deploy/a.yaml"), "a");
        Files.writeString(root.resolve("deploy/sub/c.yaml"), "c");
        Files.writeString(root.resolve("README.md"), "r");

        assertThat(Glob.glob(root, "deploy/*.yaml")).containsExactly("deploy/a.yaml", "deploy/b.yaml");
        assertThat(Glob.glob(root, "deploy/**")).containsExactly("deploy/a.yaml", "deploy/b.yaml", "deploy/sub");
        assertThat(Glob.glob(root, "*/sub/*.yaml")).containsExactly("deploy/sub/c.yaml");
        assertThat(Glob.glob(root, "nothing/*")).isEmpty();
        assertThat(Glob.globDoublestar(root, "**/*.yaml")).containsExactly("deploy/a.yaml", "deploy/b.yaml", "deploy/sub/c.yaml");
    }
}
