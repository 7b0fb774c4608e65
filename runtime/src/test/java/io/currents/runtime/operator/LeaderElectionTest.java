package io.currents.runtime.operator;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class LeaderElectionTest {

    @Test
    void replicasOnOneHostStillCompeteUnderIdentitiesOfTheirOwn() {
        // two processes of one machine, in their own directories, are two candidates
        assertThat(LeaderElection.identity("dev", "/work/a")).isNotEqualTo(LeaderElection.identity("dev", "/work/b"));
        assertThat(LeaderElection.identity("pod-1", "/deployments")).isNotEqualTo(LeaderElection.identity("pod-2", "/deployments"));
        // a process started again in the place of one that stopped is the same candidate: it takes its lease back
        assertThat(LeaderElection.identity("dev", "/work/a")).isEqualTo(LeaderElection.identity("dev", "/work/a"));
    }

    @Test
    void theLeaseTimingsComeFromFluxsFlags() {
        LeaderElection election = new LeaderElection();
        election.controllerName = "kustomize-controller";
        election.leaseNamespace = "currents-system";
        election.watchLabelSelector = new WatchLabelSelector(null);
        election.leaseDuration = "40s";
        election.renewDeadline = "25s";
        election.retryPeriod = "3s";

        LeaderElectionConfiguration config = election.leaderElectionConfiguration();

        assertThat(config.getLeaseName()).isEqualTo("kustomize-controller-leader-election");
        assertThat(config.getLeaseDuration()).isEqualTo(Duration.ofSeconds(40));
        assertThat(config.getRenewDeadline()).isEqualTo(Duration.ofSeconds(25));
        assertThat(config.getRetryPeriod()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.getIdentity()).hasValueSatisfying(id -> assertThat(id).contains("_"));
    }

    @Test
    void aLostLeaseEndsTheProcessOnlyWhenItIsNotAlreadyStopping() {
        // while the JVM runs its shutdown hooks the stop-leading callback must not call System.exit (it would block)
        assertThat(LeaderElection.shuttingDown()).as("a running JVM is not shutting down").isFalse();
    }
}
