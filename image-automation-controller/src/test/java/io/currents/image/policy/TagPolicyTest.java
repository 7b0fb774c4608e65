package io.currents.image.policy;

import io.currents.api.image.v1.ImagePolicyChoice;
import io.currents.api.image.v1.SemVerPolicy;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Flux's tag policies pick the same latest tag Flux would. */
class TagPolicyTest {

    private static final List<String> TAGS = List.of("1.0.0", "v1.2.0", "1.10.0", "1.9.9", "2.0.0-rc.1", "latest", "1.2", "0.9.0");

    @Test
    void semverPicksTheHighestVersionInRangeReadingTagsLeniently() throws Exception {
        assertThat(new SemverPolicy(">=1.0.0 <2.0.0").latest(TAGS)).contains("1.10.0");
        assertThat(new SemverPolicy("1.2.x").latest(TAGS)).contains("v1.2.0");
        assertThat(new SemverPolicy("~1.9").latest(TAGS)).contains("1.9.9");
        assertThat(new SemverPolicy(">= 0.1.0, < 1.0.0").latest(TAGS)).contains("0.9.0");
        assertThat(new SemverPolicy("^0.9 || ^1.0").latest(TAGS)).contains("1.10.0");
        assertThat(new SemverPolicy(">=3.0.0").latest(TAGS)).isEmpty();
    }

    @Test
    void semverIgnoresPreReleasesUnlessTheRangeNamesOne() throws Exception {
        assertThat(new SemverPolicy(">=1.0.0").latest(TAGS)).contains("1.10.0");
        assertThat(new SemverPolicy(">=2.0.0-0").latest(TAGS)).contains("2.0.0-rc.1");
        assertThat(new SemverPolicy(">=1.0.0-0").latest(List.of("1.0.0-alpha", "1.0.0-beta", "1.0.0"))).contains("1.0.0");
        assertThat(new SemverPolicy(">=1.0.0-0").latest(List.of("1.0.0-alpha", "1.0.0-beta"))).contains("1.0.0-beta");
    }

    @Test
    void aBadSemverRangeIsAClearError() {
        assertThatThrownBy(() -> new SemverPolicy("not a range!")).isInstanceOf(PolicyException.class)
                .hasMessageContaining("invalid semver range 'not a range!'");
        assertThatThrownBy(() -> new SemverPolicy("")).hasMessageContaining("semver range is empty");
    }

    @Test
    void alphabeticalAscendingPicksTheLastAndDescendingTheFirst() throws Exception {
        List<String> tags = List.of("b", "a", "RELEASE.2024-01-02", "c", "RELEASE.2024-01-10");
        assertThat(new AlphabeticalPolicy("asc").latest(tags)).contains("c");
        assertThat(new AlphabeticalPolicy(null).latest(tags)).contains("c");
        assertThat(new AlphabeticalPolicy("desc").latest(tags)).contains("RELEASE.2024-01-02");
        assertThatThrownBy(() -> new AlphabeticalPolicy("up")).hasMessageContaining("invalid order 'up'");
    }

    @Test
    void numericalComparesNumbersNotStrings() throws Exception {
        List<String> values = List.of("9", "10", "100", "2.5");
        assertThat(new NumericalPolicy("asc").latest(values)).contains("100");
        assertThat(new NumericalPolicy("desc").latest(values)).contains("2.5");
        assertThatThrownBy(() -> new NumericalPolicy("asc").latest(List.of("1", "x1")))
                .hasMessageContaining("failed to parse invalid numeric value 'x1'");
    }

    @Test
    void filterTagsKeepsMatchesAndExtractsNamedGroups() throws Exception {
        // Flux's documented example, in Go's syntax
        TagFilter filter = new TagFilter("^main-[a-f0-9]+-(?P<ts>[0-9]+)", "$ts");
        Map<String, String> kept = filter.apply(List.of("main-abc123-100", "main-def456-99", "feature-x-500", "main-bad"));
        assertThat(kept).containsExactly(Map.entry("main-abc123-100", "100"), Map.entry("main-def456-99", "99"));
        assertThat(new NumericalPolicy("asc").latest(List.copyOf(kept.values()))).contains("100");

        assertThat(new TagFilter("^v(\\d+)\\.(\\d+)$", "${2}-$1").apply(List.of("v1.2"))).containsEntry("v1.2", "2-1");
        assertThat(new TagFilter("^(?P<build_id>\\d+)-(?<sha>[a-f0-9]+)$", "${build_id}.$sha").apply(List.of("42-beef")))
                .containsEntry("42-beef", "42.beef");
        assertThat(new TagFilter("^\\(?P<x>1\\)$", null).apply(List.of("(?P<x>1)"))).isEmpty();
        assertThat(new TagFilter("^1\\.", null).apply(List.of("1.0", "2.0", "11.0"))).containsOnlyKeys("1.0");
        assertThatThrownBy(() -> new TagFilter("([", null)).hasMessageContaining("invalid regular expression pattern");
    }

    @Test
    void exactlyOnePolicyMustBeChosen() throws Exception {
        ImagePolicyChoice none = new ImagePolicyChoice();
        assertThatThrownBy(() -> TagPolicy.of(none)).hasMessageContaining("exactly one of semver, alphabetical or numerical");
        ImagePolicyChoice semver = new ImagePolicyChoice();
        SemVerPolicy s = new SemVerPolicy();
        s.setRange("1.x");
        semver.setSemver(s);
        assertThat(TagPolicy.of(semver).latest(TAGS)).isEqualTo(Optional.of("1.10.0"));
    }
}
