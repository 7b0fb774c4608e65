package io.currents.source;

import io.currents.source.helm.HelmAccess;
import io.currents.source.helm.HelmHttp;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Downloads from chart repositories: credentials only where they belong, sizes capped, URLs joined as Helm joins them. */
class HelmHttpTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void credentialsGoToTheRepositoryHostAndOtherHostsOnlyWithPassCredentials() throws Exception {
        try (HelmRepoServer repo = HelmRepoServer.start(); HelmRepoServer other = HelmRepoServer.start()) {
            repo.requireBasicAuth("u", "p").put("index.yaml", "apiVersion: v1\n");
            other.requireBasicAuth("u", "p").put("charts/app-1.0.0.tgz", "bytes");

            HelmAccess access = new HelmAccess(repo.url(""), "u", "p", false, null, TIMEOUT);
            assertThat(HelmHttp.get(HelmHttp.indexUrl(repo.url("")), access, 1024)).isEqualTo("apiVersion: v1\n".getBytes());
            assertThatThrownBy(() -> HelmHttp.get(other.url("charts/app-1.0.0.tgz"), access, 1024))
                    .isInstanceOfSatisfying(HelmHttp.FetchException.class, e -> assertThat(e.status()).isEqualTo(401));

            HelmAccess passing = new HelmAccess(repo.url(""), "u", "p", true, null, TIMEOUT);
            assertThat(HelmHttp.get(other.url("charts/app-1.0.0.tgz"), passing, 1024)).isEqualTo("bytes".getBytes());
        }
    }

    @Test
    void aBodyLargerThanTheLimitIsRefused() {
        try (HelmRepoServer repo = HelmRepoServer.start()) {
            repo.put("big.tgz", new byte[4096]);
            assertThatThrownBy(() -> HelmHttp.get(repo.url("big.tgz"), HelmAccess.anonymous(repo.url(""), TIMEOUT), 1024))
                    .hasMessageContaining("larger than the limit of 1024 bytes");
        }
    }

    @Test
    void indexAndChartUrlsAreJoinedToTheRepositoryUrl() {
        assertThat(HelmHttp.indexUrl("https://charts.example.com/stable")).isEqualTo("https://charts.example.com/stable/index.yaml");
        assertThat(HelmHttp.indexUrl("https://charts.example.com/stable/")).isEqualTo("https://charts.example.com/stable/index.yaml");
        assertThat(HelmHttp.chartUrl("https://charts.example.com/stable", "app-1.0.0.tgz"))
                .isEqualTo("https://charts.example.com/stable/app-1.0.0.tgz");
        assertThat(HelmHttp.chartUrl("https://charts.example.com/stable", "https://cdn.example.com/app-1.0.0.tgz"))
                .isEqualTo("https://cdn.example.com/app-1.0.0.tgz");
        assertThat(HelmHttp.chartUrl("https://charts.example.com/stable/", "../other/app-1.0.0.tgz"))
                .isEqualTo("https://charts.example.com/other/app-1.0.0.tgz");
    }
}
