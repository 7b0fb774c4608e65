package io.currents.runtime.operator;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The leader's renew deadline, kept even while a renewal hangs. fabric8's leader elector checks its deadline only
 * between two attempts, so an attempt whose request hangs (the API server unreachable without refusing: a network
 * partition) keeps the replica leading until the request times out (10s by default), past the renew deadline and
 * possibly past the lease's expiry, when the standby may already lead: two replicas would reconcile at once. client-go,
 * which Flux uses, cancels the request at the deadline instead.
 *
 * <p>While the replica leads, this reads the Lease every retry period on a thread of its own, and declares it lost
 * once the last renewal by this replica that it has read is older than the renew deadline, or the Lease has another
 * holder: a read that hangs just leaves the last renewal as it was.
 */
final class RenewDeadline implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RenewDeadline.class);
    private static final Duration CHECK = Duration.ofMillis(250);

    private final Supplier<Lease> read;
    private final String identity;
    private final Duration deadline;
    private final Duration period;
    private final Runnable lost;
    private final AtomicBoolean reading = new AtomicBoolean();
    private final AtomicBoolean fired = new AtomicBoolean();
    private volatile Instant renewed;
    private volatile Instant lastRead = Instant.EPOCH;
    private ScheduledExecutorService timer;

    /** {@code read} gets the Lease (null when it is gone); {@code lost} runs once, on the deadline or another holder. */
    RenewDeadline(Supplier<Lease> read, String identity, Duration deadline, Duration period, Runnable lost) {
        this.read = read;
        this.identity = identity;
        this.deadline = deadline;
        this.period = period;
        this.lost = lost;
    }

    /** Starts watching, just after this replica acquired (renewed) the Lease. */
    synchronized void start() {
        renewed = Instant.now();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "leader-election-renew-deadline");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::check, 0, CHECK.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void check() {
        Instant now = Instant.now();
        if (now.isAfter(renewed.plus(deadline))) {
            lose("no renewal of the Lease since " + renewed + ", over the renew deadline of " + deadline.toSeconds() + "s");
            return;
        }
        if (!now.isBefore(lastRead.plus(period)) && reading.compareAndSet(false, true)) {
            lastRead = now;
            Thread.ofVirtual().name("leader-election-lease-read").start(this::read);
        }
    }

    private void read() {
        try {
            Lease lease = read.get();
            String holder = lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
            if (!identity.equals(holder)) {
                lose("the Lease is held by " + holder);
            } else if (lease.getSpec().getRenewTime() != null) {
                Instant at = lease.getSpec().getRenewTime().toInstant();
                if (at.isAfter(renewed)) {
                    renewed = at;
                }
            }
        } catch (RuntimeException e) {
            LOG.debugf("cannot read the Lease: %s", e.getMessage());
        } finally {
            reading.set(false);
        }
    }

    private void lose(String why) {
        if (fired.compareAndSet(false, true)) {
            LOG.warnf("Leadership lost: %s", why);
            timer.shutdown();
            lost.run();
        }
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
