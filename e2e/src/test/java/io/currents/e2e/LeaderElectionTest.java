package io.currents.e2e;

import io.currents.cli.dev.ControllerProcess;
import io.currents.cli.dev.ControllerProcess.Controller;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.Map;

import static io.currents.e2e.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas of kustomize-controller with leader election: only the holder of the Lease reconciles; when it is
 * SIGKILLed (its Lease left held), the other takes over once the Lease has expired, within the lease duration plus one
 * retry period, and applies the next commit.
 */
@Tag("faults")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Order(5)
class LeaderElectionTest extends FaultScenario {

    static final String LEASE = "kustomize-controller-leader-election";

    ControllerProcess standby;

    @Override
    String scenario() {
        return "leader";
    }

    @AfterAll
    void close() {
        if (standby != null) {
            standby.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void theStandbyReplicaTakesOverWithinTheLeaseDurationWhenTheLeaderIsKilled() {
        String first = repo.change("main").file("app/config.yaml", configMap("one")).commit("one");
        flux.applyGitRepositoryAndKustomization("app", cluster.url(repo), "./app", "10s");
        awaitApplied(first);

        standby = cluster.replica(Controller.KUSTOMIZE, "kustomize-standby", Map.of("HOSTNAME", "standby"));
        standby.awaitReady(Duration.ofMinutes(3));
        String leader = holder();
        assertThat(leader).as("the first replica keeps the Lease").isNotNull().doesNotStartWith("standby_");

        cluster.kill(Controller.KUSTOMIZE);
        long killed = System.nanoTime();
        await("the standby replica holds the Lease", FaultCluster.LEASE.multipliedBy(3),
                () -> holder() != null && holder().startsWith("standby_"), () -> "holder " + holder());
        Duration takeover = Duration.ofNanos(System.nanoTime() - killed);
        String next = repo.change("main").file("app/config.yaml", configMap("two")).commit("two");
        flux.requestReconcile("source.toolkit.fluxcd.io/v1", "GitRepository", "app");
        awaitApplied(next);
        System.out.printf("[faults] leader killed: the standby took the Lease after %d ms (lease %ds), applied the next commit %d ms after the kill%n",
                takeover.toMillis(), FaultCluster.LEASE.toSeconds(), Duration.ofNanos(System.nanoTime() - killed).toMillis());
        assertThat(takeover).as("takeover within the lease duration and a retry period (2s), with 3s of slack for this machine")
                .isLessThan(FaultCluster.LEASE.plusSeconds(5));
        assertThat(value()).isEqualTo("two");
    }

    private String holder() {
        Lease lease = kube.leases().inNamespace(FaultCluster.NAMESPACE).withName(LEASE).get();
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }
}
