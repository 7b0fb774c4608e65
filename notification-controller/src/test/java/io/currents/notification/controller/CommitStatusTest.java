package io.currents.notification.controller;

import io.currents.runtime.events.FluxEvent;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How a Git commit status is derived from an event and a provider address, as Flux derives it. */
class CommitStatusTest {

    @Test
    void theShaComesFromTheRevisionInFluxsFormats() throws Exception {
        assertThat(CommitStatus.sha(event("main@sha1:8c6b1f2e0d3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c"))).isEqualTo("8c6b1f2e0d3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c");
        assertThat(CommitStatus.sha(event("refs/tags/v1@sha1:8c6b1f2e0d3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c"))).isEqualTo("8c6b1f2e0d3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c");
        assertThat(CommitStatus.sha(event("main/8c6b1f2e0d3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c"))).isEqualTo("8c6b1f2e0d3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c");
        assertThatThrownBy(() -> CommitStatus.sha(event("main@sha1:abcdef1"))).isInstanceOf(DispatchException.class);
        assertThatThrownBy(() -> CommitStatus.sha(event("6.5.0"))).isInstanceOf(DispatchException.class);
        assertThatThrownBy(() -> CommitStatus.sha(event(null))).hasMessage("missing revision metadata");
    }

    @Test
    void contextAndDescriptionFollowFlux() {
        FluxEvent e = event("main@sha1:abcdef1");
        assertThat(CommitStatus.context("0c9c2e41-1111-2222-3333-444444444444", e)).isEqualTo("kustomization/Apps/0c9c2e41".toLowerCase());
        assertThat(CommitStatus.description(e)).isEqualTo("reconciliation succeeded");
        assertThat(CommitStatus.splitCamelCase("PDFLoader2Ready")).containsExactly("PDF", "Loader", "2", "Ready");
    }

    @Test
    void repositoryAddressesAreParsedForApiCalls() throws Exception {
        CommitStatus.Repository gh = CommitStatus.repository("https://github.com/stefanprodan/podinfo.git");
        assertThat(gh.host()).isEqualTo("github.com");
        assertThat(gh.path()).isEqualTo("stefanprodan/podinfo");
        CommitStatus.Repository ghe = CommitStatus.repository("https://git.example.com:8443/org/repo");
        assertThat(ghe.base()).isEqualTo("https://git.example.com:8443");
        assertThat(GitHubApi.appApi("https://git.example.com")).isEqualTo("https://git.example.com/api/v3");
        assertThat(GitHubApi.appApi("https://api.github.example.com/")).isEqualTo("https://api.github.example.com");
        assertThat(GitHubApi.appApi(null)).isEqualTo("https://api.github.com");
        assertThat(CommitStatus.repository("ssh://git@gitlab.com/group/sub/repo").base()).isEqualTo("https://gitlab.com");
        assertThat(CommitStatus.repository("git@github.com:org/repo.git").path()).isEqualTo("org/repo");
    }

    private static FluxEvent event(String revision) {
        return new FluxEvent(new ObjectReferenceBuilder().withKind("Kustomization").withName("Apps").withNamespace("apps").build(),
                "info", "2026-01-01T00:00:00Z", "m", "ReconciliationSucceeded",
                revision == null ? Map.of() : Map.of("revision", revision), "kustomize-controller", null);
    }
}
