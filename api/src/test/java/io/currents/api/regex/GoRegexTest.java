package io.currents.api.regex;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Go's RE2 dialect in linear time: catastrophic patterns finish at once, what RE2 rejects is refused with the reason. */
class GoRegexTest {

    @Test
    void aCatastrophicBacktrackingPatternFinishesAtOnce() {
        // java.util.regex (JDK 25) runs for minutes on this; RE2 reads the input once
        String input = java.util.stream.IntStream.rangeClosed(1, 60).mapToObj(Integer::toString)
                .collect(java.util.stream.Collectors.joining(","));
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), () -> {
            assertThat(GoRegex.compile("^(.*?,){11}P").find(input)).isFalse();
            assertThat(GoRegex.compileWhole("(a|aa)+").matches("a".repeat(40) + "!")).isFalse();
        });
    }

    @Test
    void whatRe2RejectsIsRefusedWithTheReason() {
        assertThatThrownBy(() -> GoRegex.compile("(a)\\1")).isInstanceOf(GoRegex.InvalidRegexException.class)
                .hasMessageStartingWith("invalid regular expression '(a)\\1': ");
        assertThatThrownBy(() -> GoRegex.compile("foo(?=bar)")).hasMessageStartingWith("invalid regular expression 'foo(?=bar)'");
        assertThatThrownBy(() -> GoRegex.compile("a++")).hasMessageStartingWith("invalid regular expression 'a++'");
        assertThatThrownBy(() -> GoRegex.compile("[")).hasMessageStartingWith("invalid regular expression '['");
    }

    @Test
    void goNamedGroupsAndReplaceAllTemplates() {
        GoRegex semver = GoRegex.compile("^(?P<major>[0-9]+)\\.(?<minor>[0-9]+)-(?P<build_id>[a-z0-9]+)$");
        assertThat(semver.replaceAll("1.22-rc1", "$major.$minor.${build_id}")).isEqualTo("1.22.rc1");
        assertThat(semver.replaceAll("1.22-rc1", "$1-$$-$unknown-$9")).isEqualTo("1-$--");
        assertThat(GoRegex.compile("a").replaceAll("banana", "[$0]")).isEqualTo("b[a]n[a]n[a]");
    }

    @Test
    void findIsUnanchoredAndWholeIsAnchored() {
        assertThat(GoRegex.compile("prod").find("api-prod-1")).isTrue();
        assertThat(GoRegex.compileWhole("prod").matches("api-prod-1")).isFalse();
        assertThat(GoRegex.compileWhole("api-.*|web").matches("web")).isTrue();
        assertThat(GoRegex.compileWhole(GoRegex.quote("a.b*")).matches("a.b*")).isTrue();
        assertThat(GoRegex.compileWhole(GoRegex.quote("a.b*")).matches("axb")).isFalse();
    }
}
