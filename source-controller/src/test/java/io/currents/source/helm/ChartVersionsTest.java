package io.currents.source.helm;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChartVersionsTest {

    private static HelmIndex index(String... versions) throws Exception {
        return HelmIndex.parse(TestCharts.index(Map.of("app", List.of(versions))).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theDefaultRangePicksTheLatestStableVersion() throws Exception {
        HelmIndex index = index("1.0.0", "1.10.0", "1.9.3", "2.0.0-rc.1");
        assertThat(index.select("app", null).version()).isEqualTo("1.10.0");
        assertThat(index.select("app", "*").version()).isEqualTo("1.10.0");
        assertThat(index.select("app", "").version()).isEqualTo("1.10.0");
    }

    @Test
    void rangesWithCommasSpacesTildeCaretAndWildcardsWorkAsInHelm() throws Exception {
        HelmIndex index = index("1.2.3", "1.2.9", "1.3.0", "1.4.1", "2.0.0", "2.1.0");
        assertThat(index.select("app", "~1.2.0").version()).isEqualTo("1.2.9");
        assertThat(index.select("app", "^1.2.0").version()).isEqualTo("1.4.1");
        assertThat(index.select("app", "1.3.x").version()).isEqualTo("1.3.0");
        assertThat(index.select("app", ">=1.2.0, <2.0.0").version()).isEqualTo("1.4.1");
        assertThat(index.select("app", ">=1.2.0 <1.4.0").version()).isEqualTo("1.3.0");
        assertThat(index.select("app", "<1.3.0 || >=2.1.0").version()).isEqualTo("2.1.0");
        assertThat(index.select("app", "2.0").version()).isEqualTo("2.0.0");
    }

    @Test
    void preReleasesAreOnlyPickedWhenTheRangeAsksForThem() throws Exception {
        HelmIndex index = index("1.0.0", "1.1.0-beta.1", "1.1.0-beta.2");
        assertThat(index.select("app", ">=1.0.0").version()).isEqualTo("1.0.0");
        assertThat(index.select("app", ">=1.0.0-0").version()).isEqualTo("1.1.0-beta.2");
        assertThat(index.select("app", "1.1.0-beta.1").version()).isEqualTo("1.1.0-beta.1");
    }

    @Test
    void anExactVersionStringMatchesEvenWithAVPrefix() throws Exception {
        HelmIndex index = index("v1.0.0", "1.1.0");
        assertThat(index.select("app", "v1.0.0").version()).isEqualTo("v1.0.0");
        assertThat(index.select("app", "*").version()).isEqualTo("1.1.0");
    }

    @Test
    void noMatchingVersionIsAnInvalidChartReference() throws Exception {
        HelmIndex index = index("1.0.0");
        assertThatThrownBy(() -> index.select("app", "9.*"))
                .isInstanceOfSatisfying(ChartBuildException.class, e -> {
                    assertThat(e.reason()).isEqualTo("InvalidChartReference");
                    assertThat(e.persistent()).isTrue();
                })
                .hasMessage("invalid chart reference: no 'app' chart with version matching '9.*' found");
        assertThatThrownBy(() -> index.select("other", "*")).hasMessageContaining("chart 'other' is not in the repository index");
    }

    @Test
    void invalidVersionsInTheIndexAreLeftOut() throws Exception {
        HelmIndex index = index("not-a-version", "0.1.0");
        assertThat(index.size()).isEqualTo(1);
        assertThat(index.select("app", "*").version()).isEqualTo("0.1.0");
    }

    @Test
    void anIndexWithoutApiVersionOrThatIsNotYamlIsRejected() {
        assertThatThrownBy(() -> HelmIndex.parse("entries: {}\n".getBytes()))
                .hasMessage("no API version specified");
        assertThatThrownBy(() -> HelmIndex.parse("apiVersion: v1\nentries: [\n".getBytes()))
                .isInstanceOf(HelmIndex.InvalidIndexException.class);
        assertThatThrownBy(() -> HelmIndex.parse("just text".getBytes()))
                .hasMessage("index is not a YAML mapping");
    }

    @Test
    void buildMetadataReplacesAnyPreviousMetadata() throws Exception {
        assertThat(ChartBuilder.versionWithMetadata("6.0.3", "1")).isEqualTo("6.0.3+1");
        assertThat(ChartBuilder.versionWithMetadata("6.0.3+old", "abcdef012345.2")).isEqualTo("6.0.3+abcdef012345.2");
        assertThat(ChartBuilder.versionWithMetadata("1.0.0-rc.1", "7")).isEqualTo("1.0.0-rc.1+7");
        assertThat(ChartBuilder.versionWithMetadata("1.0.0", null)).isEqualTo("1.0.0");
    }
}
