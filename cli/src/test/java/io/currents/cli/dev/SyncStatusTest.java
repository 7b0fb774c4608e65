package io.currents.cli.dev;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SyncStatusTest {

    static final String A = "main@sha1:aaaaaaa";
    static final String B = "main@sha1:bbbbbbb";

    static SyncStatus.Row source(String revision, String ready) {
        return new SyncStatus.Row("gitrepository", "currents-system", "currents-system", revision, false, ready,
                "stored artifact for revision '" + revision + "'", null);
    }

    static SyncStatus.Row kustomization(String name, String applied, String ready, String sourceRevision) {
        return new SyncStatus.Row("kustomization", "currents-system", name, applied, false, ready,
                "Applied revision: " + applied, sourceRevision);
    }

    @Test
    void convergedWhenEverythingIsReadyAtTheSourcesRevision() {
        SyncStatus status = new SyncStatus(List.of(source(B, "True"), kustomization("currents-system", B, "True", B),
                kustomization("hello", B, "True", B)));

        assertThat(status.converged()).isTrue();
    }

    @Test
    void notConvergedWhileAKustomizationStillRunsThePreviousRevision() {
        SyncStatus status = new SyncStatus(List.of(source(B, "True"), kustomization("hello", A, "True", B)));

        assertThat(status.converged()).isFalse();
    }

    @Test
    void notConvergedWhileSomethingIsNotReadyOrNothingExistsYet() {
        assertThat(new SyncStatus(List.of(source(A, "Unknown"))).converged()).isFalse();
        assertThat(new SyncStatus(List.of(source(A, "True"), kustomization("hello", A, "False", A))).converged()).isFalse();
        assertThat(new SyncStatus(List.of()).converged()).isFalse();
    }

    @Test
    void printsAlignedColumnsLikeGet() {
        SyncStatus status = new SyncStatus(List.of(source(A, "True"), kustomization("hello", A, "True", A)));

        assertThat(status.table()).isEqualTo("""
                NAMESPACE         NAME                            REVISION            SUSPENDED   READY   MESSAGE
                currents-system   gitrepository/currents-system   main@sha1:aaaaaaa   false       True    stored artifact for revision 'main@sha1:aaaaaaa'
                currents-system   kustomization/hello             main@sha1:aaaaaaa   false       True    Applied revision: main@sha1:aaaaaaa
                """);
    }
}
