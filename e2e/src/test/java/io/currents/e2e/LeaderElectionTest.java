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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import static io.currents.e2e.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas of kustomize-controller with leader election: only the holder of the Lease reconciles; when it is
 * SIGKILLed (its Lease left held), the other takes over once the Lease has expired, within the lease duration plus one
 * retry period, and applies the next commit.
 *
 * <p>No reconcile runs twice at once: each replica reaches the API server through a {@link FaultyApiServer} of its own,
 * which records every status write with the time it arrived, so each write has its writer. While the test requests a
 * reconcile of every Kustomization every half second (each reconcile writes {@code status.lastHandledReconcileAt}),
 * the leader is killed; the writes of each Kustomization must then be the leader's alone up to the kill and the
 * standby's alone after it: a standby reconciling without the Lease, or a leader writing after the standby took over,
 * would interleave.
 */
@Tag("faults")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Order(5)
class LeaderElectionTest extends FaultScenario {

    static final String LEASE = "kustomize-controller-leader-election";
    static final int KUSTOMIZATIONS = 5;

    ControllerProcess standby;
    FaultyApiServer leaderWrites;
    FaultyApiServer standbyWrites;

    /** A status write of one Kustomization, by one replica. */
    record Write(Instant at, String name, String writer) {
    }

    @Override
    String scenario() {
        return "leader";
    }

    @AfterAll
    void close() {
        if (standby != null) {
            standby.stop(Duration.ofSeconds(5));
        }
        cluster.routeApiThrough(null);
        if (leaderWrites != null) {
            leaderWrites.close();
        }
        if (standbyWrites != null) {
            standbyWrites.close();
        }
    }

    @Test
    void theStandbyReplicaTakesOverWithinTheLeaseDurationWhenTheLeaderIsKilledAndNoReconcileOverlaps() throws Exception {
        String first = commitAndApplyFleet(this, KUSTOMIZATIONS);
        awaitApplied(first);

        leaderWrites = cluster.faultyApiServer();
        cluster.routeApiThrough(leaderWrites);
        standbyWrites = cluster.faultyApiServer();
        standby = cluster.replica(Controller.KUSTOMIZE, "kustomize-standby",
                Map.of("HOSTNAME", "standby", "KUBECONFIG", cluster.kubeconfigFor(standbyWrites.port()).toString()));
        standby.awaitReady(Duration.ofMinutes(3));
        String leader = holder();
        assertThat(leader).as("the first replica keeps the Lease").isNotNull().doesNotStartWith("standby_");

        AtomicBoolean requesting = new AtomicBoolean(true);
        Thread requests = Thread.ofVirtual().start(() -> {
            while (requesting.get()) {
                IntStream.range(0, KUSTOMIZATIONS).forEach(i -> flux.requestReconcile("kustomize.toolkit.fluxcd.io/v1", "Kustomization", "k" + i));
                Eventually.sleep(Duration.ofMillis(500));
            }
        });
        await("the leader writes status while reconciles are requested", Duration.ofMinutes(1),
                () -> writes().stream().filter(w -> w.writer().equals("leader")).count() >= 2 * KUSTOMIZATIONS, () -> writes().toString());

        cluster.kill(Controller.KUSTOMIZE);
        Instant killedAt = Instant.now();
        long killed = System.nanoTime();
        await("the standby replica holds the Lease", FaultCluster.LEASE.multipliedBy(3),
                () -> holder() != null && holder().startsWith("standby_"), () -> "holder " + holder());
        Duration takeover = Duration.ofNanos(System.nanoTime() - killed);
        await("the standby writes status", Duration.ofMinutes(1),
                () -> writes().stream().filter(w -> w.writer().equals("standby")).count() >= 2 * KUSTOMIZATIONS, () -> writes().toString());
        requesting.set(false);
        requests.join();

        String next = repo.change("main").file("app/config.yaml", configMap("two")).commit("two");
        flux.requestReconcile("source.toolkit.fluxcd.io/v1", "GitRepository", "app");
        awaitApplied(next);
        System.out.printf("[faults] leader killed: the standby took the Lease after %d ms (lease %ds), applied the next commit %d ms after the kill%n",
                takeover.toMillis(), FaultCluster.LEASE.toSeconds(), Duration.ofNanos(System.nanoTime() - killed).toMillis());

        List<Write> writes = writes();
        Instant lastByLeader = writes.stream().filter(w -> w.writer().equals("leader")).map(Write::at).max(Comparator.naturalOrder()).orElseThrow();
        Instant firstByStandby = writes.stream().filter(w -> w.writer().equals("standby")).map(Write::at).min(Comparator.naturalOrder()).orElseThrow();
        System.out.printf("[faults] status writes: %d by the leader (the last %d ms before the kill), %d by the standby (the first %d ms after the kill)%n",
                writes.stream().filter(w -> w.writer().equals("leader")).count(), Duration.between(lastByLeader, killedAt).toMillis(),
                writes.stream().filter(w -> w.writer().equals("standby")).count(), Duration.between(killedAt, firstByStandby).toMillis());
        assertThat(lastByLeader).as("the leader wrote nothing after it was killed").isBefore(killedAt);
        assertThat(firstByStandby).as("the standby wrote nothing before the leader was killed").isAfter(killedAt);
        for (int i = 0; i < KUSTOMIZATIONS; i++) {
            String name = "k" + i;
            List<String> writers = writes.stream().filter(w -> w.name().equals(name)).map(Write::writer).toList();
            assertThat(writers).as("the writers of %s's status, in order: the leader's, then the standby's, never interleaved", name)
                    .isSortedAccordingTo(Comparator.comparing(w -> w.equals("leader") ? 0 : 1))
                    .contains("leader", "standby");
        }
        assertThat(takeover).as("takeover within the lease duration and a retry period (5s), with 5s of slack for this machine")
                .isLessThan(FaultCluster.LEASE.plusSeconds(10));
        assertThat(value()).isEqualTo("two");
    }

    /** Every status write of this namespace's Kustomizations, by arrival, with the replica that sent it. */
    private List<Write> writes() {
        List<Write> all = new ArrayList<>();
        collect(leaderWrites, "leader", ns, all);
        collect(standbyWrites, "standby", ns, all);
        all.sort(Comparator.comparing(Write::at));
        return all;
    }

    /** The status writes of the Kustomizations of {@code ns} that {@code server} forwarded, as {@code writer}'s. */
    static void collect(FaultyApiServer server, String writer, String ns, List<Write> into) {
        String prefix = "/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/" + ns + "/kustomizations/";
        for (FaultyApiServer.Request r : server.requests()) {
            if (!r.method().equals("GET") && r.path().startsWith(prefix) && r.path().endsWith("/status")) {
                into.add(new Write(r.at(), r.path().substring(prefix.length(), r.path().length() - "/status".length()), writer));
            }
        }
    }

    private String holder() {
        return holder(kube.leases().inNamespace(FaultCluster.NAMESPACE).withName(LEASE).get());
    }

    static String holder(Lease lease) {
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }

    /**
     * The first commit of the scenario's repository ({@code app/config.yaml}, and one ConfigMap under {@code others/}),
     * the Kustomization {@code app} applying it, and {@code count} Kustomizations {@code k<i>} of the same source that
     * a reconcile request, not a change, makes the replicas reconcile; returns the commit.
     */
    static String commitAndApplyFleet(FaultScenario s, int count) {
        String first = s.repo.change("main").file("app/config.yaml", s.configMap("one"))
                .file("others/config.yaml", s.configMaps(i -> "other", 1, "x")).commit("one");
        s.flux.applyGitRepositoryAndKustomization("app", s.cluster.url(s.repo), "./app", "10s");
        for (int i = 0; i < count; i++) {
            s.kube.resource("""
                    apiVersion: kustomize.toolkit.fluxcd.io/v1
                    kind: Kustomization
                    metadata:
                      name: k%d
                      namespace: %s
                    spec:
                      interval: 10m
                      sourceRef:
                        kind: GitRepository
                        name: app
                      path: ./others
                      prune: false
                    """.formatted(i, s.ns)).serverSideApply();
        }
        return first;
    }
}
