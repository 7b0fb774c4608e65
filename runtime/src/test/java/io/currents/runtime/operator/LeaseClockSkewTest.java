package io.currents.runtime.operator;

import io.currents.testkit.ControlPlane;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.Lock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two electors in one JVM on a real API server, the holder's wall clock skewed by writing its Lease times shifted (as a
 * holder on a node whose clock is off writes them). A standby on {@link ObservedLeaseLock} judges expiry by its own
 * monotonic clock since it saw the Lease change: it never takes over while the holder renews, and takes over a lease
 * duration after the holder's last renewal once the holder stops, whichever way the holder's clock is off.
 */
@Tag("cluster")
class LeaseClockSkewTest {

    static final Duration LEASE = Duration.ofSeconds(4);
    static final Duration RENEW = Duration.ofSeconds(3);
    static final Duration RETRY = Duration.ofMillis(500);

    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void withoutObservedExpiryFabric8TakesOverARenewingHolderWhoseClockIsBehind() throws Exception {
        KubernetesClient client = ControlPlane.shared().client();
        String ns = ControlPlane.shared().createNamespace("lease-skew");
        Holder holder = holder(client, ns, Duration.ofSeconds(-60));
        CompletableFuture<Long> standby = elect(client, new LeaseLock(ns, "lease", "standby"));
        assertThat(standby.get(LEASE.toMillis(), TimeUnit.MILLISECONDS) - holder.lastRenewal.get())
                .as("fabric8 alone: taken over though the holder renewed within the lease (its renewTime reads 60s old)")
                .isLessThan(LEASE.toNanos());
    }

    @Test
    void aStandbyNeverTakesOverARenewingHolderWhoseClockIsBehindAndTakesOverALeaseAfterItStops() throws Exception {
        KubernetesClient client = ControlPlane.shared().client();
        String ns = ControlPlane.shared().createNamespace("lease-skew-behind");
        Holder holder = holder(client, ns, Duration.ofSeconds(-60));
        CompletableFuture<Long> standby = elect(client, new ObservedLeaseLock(new LeaseLock(ns, "lease", "standby")));
        Thread.sleep(LEASE.multipliedBy(2).toMillis());
        assertThat(standby).as("the holder renews: two lease durations without a takeover").isNotDone();

        assertTakeoverALeaseAfterTheLastRenewal(holder, standby);
    }

    @Test
    void aStandbyTakesOverALeaseAfterAHolderWhoseClockIsAheadStops() throws Exception {
        KubernetesClient client = ControlPlane.shared().client();
        String ns = ControlPlane.shared().createNamespace("lease-skew-ahead");
        Holder holder = holder(client, ns, Duration.ofSeconds(60));
        CompletableFuture<Long> standby = elect(client, new ObservedLeaseLock(new LeaseLock(ns, "lease", "standby")));
        Thread.sleep(LEASE.toMillis());
        assertThat(standby).isNotDone();

        // fabric8 alone would wait for the holder's renewTime (60s ahead) plus the lease: over a minute
        assertTakeoverALeaseAfterTheLastRenewal(holder, standby);
    }

    private void assertTakeoverALeaseAfterTheLastRenewal(Holder holder, CompletableFuture<Long> standby) throws Exception {
        holder.election.cancel(true);
        long stopped = System.nanoTime();
        long tookOver = standby.get(LEASE.plusSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
        Duration sinceRenewal = Duration.ofNanos(tookOver - holder.lastRenewal.get());
        assertThat(sinceRenewal).as("not before a lease duration since the last renewal, on the standby's monotonic clock")
                .isGreaterThanOrEqualTo(LEASE);
        assertThat(Duration.ofNanos(tookOver - stopped)).as("within a lease duration and two retry periods of the stop")
                .isLessThan(LEASE.plus(RETRY.multipliedBy(2)).plusSeconds(1));
    }

    private record Holder(CompletableFuture<?> election, AtomicLong lastRenewal) {
    }

    /** An elector that leads first, writing its Lease times shifted by {@code skew}; records its last renewal (monotonic). */
    private Holder holder(KubernetesClient client, String ns, Duration skew) throws Exception {
        AtomicLong lastRenewal = new AtomicLong();
        LeaseLock lease = new LeaseLock(ns, "lease", "holder");
        Lock skewed = new Lock() {
            @Override
            public LeaderElectionRecord get(KubernetesClient c) {
                return lease.get(c);
            }

            @Override
            public void create(KubernetesClient c, LeaderElectionRecord record) {
                lease.create(c, shift(record));
                lastRenewal.set(System.nanoTime());
            }

            @Override
            public void update(KubernetesClient c, LeaderElectionRecord record) {
                lease.update(c, shift(record));
                lastRenewal.set(System.nanoTime());
            }

            private LeaderElectionRecord shift(LeaderElectionRecord record) {
                return record.toBuilder().renewTime(record.getRenewTime().plus(skew)).acquireTime(record.getAcquireTime().plus(skew)).build();
            }

            @Override
            public String identity() {
                return lease.identity();
            }

            @Override
            public String describe() {
                return lease.describe();
            }
        };
        CompletableFuture<Long> leading = new CompletableFuture<>();
        LeaderElector elector = new LeaderElector(client, new LeaderElectionConfig(skewed, LEASE, RENEW, RETRY,
                new LeaderCallbacks(() -> leading.complete(System.nanoTime()), () -> { }, id -> { }), false, "holder"), executor);
        CompletableFuture<?> election = elector.start();
        leading.get(10, TimeUnit.SECONDS);
        return new Holder(election, lastRenewal);
    }

    /** Starts an elector on {@code lock}; the future completes (monotonic nanos) when it starts leading. */
    private CompletableFuture<Long> elect(KubernetesClient client, Lock lock) {
        CompletableFuture<Long> leading = new CompletableFuture<>();
        new LeaderElector(client, new LeaderElectionConfig(lock, LEASE, RENEW, RETRY,
                new LeaderCallbacks(() -> leading.complete(System.nanoTime()), () -> { }, id -> { }), false, "standby"), executor).start();
        return leading;
    }
}
