package io.currents.git;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Choosing the tag for {@code ref.semver}: highest satisfying version, Flux-style leniency on tag names. */
class SemverTagsTest {

    private static final List<String> TAGS = List.of("v0.9.0", "v1.0.0", "1.2.3", "v1.10.0", "v1.9.9", "v2.0.0-rc.1",
            "v2.0.0", "v3", "release-4", "latest", "v1.2");

    @Test
    void highestVersionInTheRangeWins() throws Exception {
        assertThat(SemverTags.highest(">=1.0.0 <2.0.0", TAGS)).hasValue("v1.10.0");
        assertThat(SemverTags.highest("1.x", TAGS)).hasValue("v1.10.0");
        assertThat(SemverTags.highest("~1.2", TAGS)).hasValue("1.2.3");
        assertThat(SemverTags.highest("^2.0.0", TAGS)).hasValue("v2.0.0");
        assertThat(SemverTags.highest("*", TAGS)).hasValue("v3");
    }

    @Test
    void commaSeparatedConstraintsAreAnded() throws Exception {
        assertThat(SemverTags.highest(">= 1.0.0, < 1.5.0", TAGS)).hasValue("1.2.3");
    }

    @Test
    void partialVersionsAndVPrefixesAreUnderstood() throws Exception {
        assertThat(SemverTags.parse("v3").toString()).isEqualTo("3.0.0");
        assertThat(SemverTags.parse("v1.2").toString()).isEqualTo("1.2.0");
        assertThat(SemverTags.parse("latest")).isNull();
        assertThat(SemverTags.parse("release-4")).isNull();
    }

    @Test
    void prereleasesOnlyWhenTheRangeAsksForThem() throws Exception {
        assertThat(SemverTags.highest(">=2.0.0-0 <2.0.0", TAGS)).hasValue("v2.0.0-rc.1");
        assertThat(SemverTags.highest(">1.10.0 <2.0.0", TAGS)).isEmpty();
    }

    @Test
    void equalVersionsPickTheSameTagEveryTime() throws Exception {
        assertThat(SemverTags.highest("1.0.0", List.of("v1.0.0", "1.0.0"))).hasValue("v1.0.0");
        assertThat(SemverTags.highest("1.0.0", List.of("1.0.0", "v1.0.0"))).hasValue("v1.0.0");
    }
}
