package io.currents.e2e;

import io.currents.cli.dev.ControllerProcess;
import io.currents.cli.dev.ControllerProcess.Controller;
import io.currents.e2e.LeaderElectionTest.Write;
import io.currents.testkit.TcpProxy;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import static io.currents.e2e.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas of kustomize-controller with leader election, and a partition of the leader: it stays alive but its
 * path to the API server drops every byte ({@link TcpProxy#blackHole()}), while the standby's path stays up. The
 * standby may take the Lease only once it has expired (the leader's last renewal plus the lease duration); the leader,
 * which cannot renew, must give up within its renew deadline, before that, and exit, as Flux's controllers do. The
 * partition heals the moment the standby holds the Lease: an old leader still reconciling would then write again.
 *
 * <p>Each replica reaches the API server through a proxy of its own in front of a {@link FaultyApiServer} of its own,
 * which records every status write with its arrival, so each write has its writer (as in {@link LeaderElectionTest}).
 * While reconciles of every Kustomization are requested each half second, the writes of each Kustomization must be the
 * old leader's alone up to the standby's acquisition of the Lease and the standby's alone after it, and the next
 * commit is applied by the new leader.
 *
 * <p>Both replicas run with shorter timings than Flux's (lease 15s, renew deadline 10s, retry 2s: client-go's
 * defaults, in the same proportions), so the scenario takes seconds, not minutes; {@code -Dfaults.leaseSeconds=35
 * -Dfaults.renewDeadlineSeconds=30 -Dfaults.retrySeconds=5} runs it with Flux's. The suite's own kustomize-controller
 * is stopped meanwhile and started again afterwards.
 */
@Tag("faults")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Order(5)
class LeaderPartitionTest extends FaultScenario {

    static final Duration LEASE = Duration.ofSeconds(Long.getLong("faults.leaseSeconds", 15));
    static final Duration RENEW_DEADLINE = Duration.ofSeconds(Long.getLong("faults.renewDeadlineSeconds", 10));
    static final Duration RETRY = Duration.ofSeconds(Long.getLong("faults.retrySeconds", 2));
    static final int KUSTOMIZATIONS = 5;
    static final List<String> REPLICAS = List.of("replica-a", "replica-b");

    /** Each replica's process, proxy and recording API server, by host name. */
    final Map<String, ControllerProcess> processes = new LinkedHashMap<>();
    final Map<String, TcpProxy> paths = new LinkedHashMap<>();
    final Map<String, FaultyApiServer> servers = new LinkedHashMap<>();

    @Override
    String scenario() {
        return "partition";
    }

    @AfterAll
    void close() {
        ControllerProcess.stopAll(processes.values(), Duration.ofSeconds(5));
        paths.values().forEach(TcpProxy::close);
        servers.values().forEach(FaultyApiServer::close);
        // the suite's controller takes the Lease at once rather than after the replicas' lease duration
        kube.leases().inNamespace(FaultCluster.NAMESPACE).withName(LeaderElectionTest.LEASE).delete();
        cluster.restart(Controller.KUSTOMIZE);
    }

    @Test
    void aPartitionedLeaderStopsBeforeTheStandbyTakesTheExpiredLeaseAndNeverWritesAgain() throws Exception {
        cluster.kill(Controller.KUSTOMIZE);
        kube.leases().inNamespace(FaultCluster.NAMESPACE).withName(LeaderElectionTest.LEASE).delete();
        String first = LeaderElectionTest.commitAndApplyFleet(this, KUSTOMIZATIONS);
        for (String name : REPLICAS) {
            FaultyApiServer server = cluster.faultyApiServer();
            servers.put(name, server);
            TcpProxy path = TcpProxy.start(server.port());
            paths.put(name, path);
            processes.put(name, cluster.replica(Controller.KUSTOMIZE, "kustomize-" + name, Map.of(
                    "HOSTNAME", name,
                    "KUBECONFIG", cluster.kubeconfigFor(path.port()).toString(),
                    "LEADER_ELECTION_LEASE_DURATION", LEASE.toSeconds() + "s",
                    "LEADER_ELECTION_RENEW_DEADLINE", RENEW_DEADLINE.toSeconds() + "s",
                    "LEADER_ELECTION_RETRY_PERIOD", RETRY.toSeconds() + "s")));
        }
        processes.values().forEach(p -> p.awaitReady(Duration.ofMinutes(3)));
        awaitApplied(first);

        String leader = replicaOf(holder(lease()));
        assertThat(leader).as("one of the replicas holds the Lease: " + holder(lease())).isNotNull();
        String standby = REPLICAS.stream().filter(r -> !r.equals(leader)).findFirst().orElseThrow();
        AtomicBoolean requesting = new AtomicBoolean(true);
        Thread requests = Thread.ofVirtual().start(() -> {
            while (requesting.get()) {
                IntStream.range(0, KUSTOMIZATIONS).forEach(i -> flux.requestReconcile("kustomize.toolkit.fluxcd.io/v1", "Kustomization", "k" + i));
                Eventually.sleep(Duration.ofMillis(500));
            }
        });
        try {
            await("the leader writes status while reconciles are requested", Duration.ofMinutes(1),
                    () -> count(leader) >= 2 * KUSTOMIZATIONS, () -> writes().toString());
            assertThat(count(standby)).as("the standby writes nothing while the leader holds the Lease").isZero();

            ControllerProcess old = processes.get(leader);
            CompletableFuture<Instant> exited = ProcessHandle.of(old.pid()).orElseThrow().onExit().thenApply(p -> Instant.now());
            paths.get(leader).blackHole();
            Instant partitionedAt = Instant.now();
            AtomicReference<LeaseSpec> lastRenewal = new AtomicReference<>();
            AtomicReference<LeaseSpec> taken = new AtomicReference<>();
            await("the standby holds the Lease", LEASE.multipliedBy(4), () -> {
                LeaseSpec spec = lease().getSpec();
                if (leader.equals(replicaOf(spec.getHolderIdentity()))) {
                    lastRenewal.set(spec);
                    return false;
                }
                taken.set(spec);
                return standby.equals(replicaOf(spec.getHolderIdentity()));
            }, () -> "holder " + holder(lease()));
            Instant seenTaken = Instant.now();
            paths.get(leader).restore();

            Instant renewed = lastRenewal.get().getRenewTime().toInstant();
            Instant acquired = taken.get().getAcquireTime().toInstant();
            await("the partitioned leader exits", Duration.ofMinutes(1), exited::isDone, () -> ControllerProcess.tail(old.log(), 20));
            Instant exitedAt = exited.get();
            await("the new leader writes status", Duration.ofMinutes(1), () -> count(standby) >= 2 * KUSTOMIZATIONS, () -> writes().toString());
            requesting.set(false);
            requests.join();

            String next = repo.change("main").file("app/config.yaml", configMap("two")).commit("two");
            flux.requestReconcile("source.toolkit.fluxcd.io/v1", "GitRepository", "app");
            awaitApplied(next);
            assertThat(value()).isEqualTo("two");

            List<Write> writes = writes();
            Instant lastByOld = writes.stream().filter(w -> w.writer().equals(leader)).map(Write::at).max(Comparator.naturalOrder()).orElseThrow();
            Instant firstByNew = writes.stream().filter(w -> w.writer().equals(standby)).map(Write::at).min(Comparator.naturalOrder()).orElseThrow();
            System.out.printf("[faults] leader partitioned (lease %ds, renew deadline %ds, retry %ds): its last renewal %d ms before the cut; "
                            + "it exited %d ms after that renewal; the standby took the Lease %d ms after it (acquireTime), seen %d ms after it; "
                            + "the next commit applied %d ms after the cut%n",
                    LEASE.toSeconds(), RENEW_DEADLINE.toSeconds(), RETRY.toSeconds(), Duration.between(renewed, partitionedAt).toMillis(),
                    Duration.between(renewed, exitedAt).toMillis(), Duration.between(renewed, acquired).toMillis(),
                    Duration.between(renewed, seenTaken).toMillis(), Duration.between(partitionedAt, Instant.now()).toMillis());
            System.out.printf("[faults] status writes: %d by the old leader (the last %d ms before the cut), %d by the new leader (the first %d ms after it took the Lease)%n",
                    count(leader), Duration.between(lastByOld, partitionedAt).toMillis(), count(standby), Duration.between(acquired, firstByNew).toMillis());

            // fabric8 stamps acquireTime before it reads the Lease and checks its expiry: the takeover as seen is what is sure
            assertThat(seenTaken).as("the standby takes the Lease only once it has expired: the leader's last renewal plus the lease duration")
                    .isAfterOrEqualTo(renewed.plus(LEASE));
            assertThat(exitedAt).as("the partitioned leader gave up and exited before the standby took the Lease").isBefore(acquired);
            assertThat(renewed).as("the leader renewed nothing once cut off").isBefore(partitionedAt);
            assertThat(lastByOld).as("the old leader wrote nothing once cut off, nor after the partition healed").isBefore(partitionedAt);
            assertThat(firstByNew).as("the new leader wrote nothing before it held the Lease").isAfterOrEqualTo(acquired);
            for (int i = 0; i < KUSTOMIZATIONS; i++) {
                String name = "k" + i;
                List<String> writers = writes.stream().filter(w -> w.name().equals(name)).map(Write::writer).toList();
                assertThat(writers).as("the writers of %s's status, in order: the old leader's, then the new leader's, never interleaved", name)
                        .isSortedAccordingTo(Comparator.comparing(w -> w.equals(leader) ? 0 : 1))
                        .contains(leader, standby);
            }
        } finally {
            requesting.set(false);
            requests.join();
        }
    }

    private long count(String writer) {
        return writes().stream().filter(w -> w.writer().equals(writer)).count();
    }

    /** Every status write of this namespace's Kustomizations, by arrival, with the replica that sent it. */
    private List<Write> writes() {
        List<Write> all = new ArrayList<>();
        servers.forEach((name, server) -> LeaderElectionTest.collect(server, name, ns, all));
        all.sort(Comparator.comparing(Write::at));
        return all;
    }

    private Lease lease() {
        return kube.leases().inNamespace(FaultCluster.NAMESPACE).withName(LeaderElectionTest.LEASE).get();
    }

    private static String holder(Lease lease) {
        return LeaderElectionTest.holder(lease);
    }

    /** The replica whose identity ({@code <host name>_<hash>}) holds the Lease, null when none of them does. */
    private static String replicaOf(String identity) {
        return identity == null ? null : REPLICAS.stream().filter(r -> identity.startsWith(r + "_")).findFirst().orElse(null);
    }
}
