package io.currents.runtime.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.Lock;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A Lease lock on which a standby judges the holder's lease expired as client-go does: by its own monotonic clock,
 * the lease duration after it last saw the record change (holder, acquire or renew time, transitions), never by
 * comparing the holder's {@code renewTime} with its own wall clock. fabric8's elector offers no hook for that
 * ({@code canBecomeLeader} is final, {@code now()} static): it decides expiry as {@code now() > renewTime + lease}
 * with the record this lock returns, so the record handed to it carries, in place of the holder's renewal time, the
 * moment this replica saw that renewal, expressed on its own wall clock. Clock skew between the holder's and the
 * standby's nodes then neither shortens the takeover (a holder whose clock is behind would otherwise look expired
 * while it renews) nor lengthens it (one whose clock is ahead would look alive long after it stopped).
 *
 * <p>Only the expiry judgement sees the rewritten time: a record fabric8 writes is built afresh (renew time its own
 * {@code now()}), and fabric8's {@code ResourceLock.update} keeps the resource version of the Lease it read.
 *
 * <p>Not yet used by {@link LeaderElection}: the operator SDK (5.2.1) builds its elector and its {@code LeaseLock}
 * inside {@code LeaderElectionManager.start()}, from {@link LeaderElection}'s configuration, with no way to pass a lock.
 * Using this lock needs the controllers to run the elector themselves and start the operator when leading
 * ({@code quarkus.operator-sdk.start-operator=false}), which turns the warm standby (informers running, event
 * processing held) into a cold one; docs/reliability.md says so.
 */
final class ObservedLeaseLock implements Lock {

    private final Lock lease;
    private final LongSupplier nanoTime;
    private LeaderElectionRecord seen;
    private long seenAt;

    ObservedLeaseLock(Lock lease) {
        this(lease, System::nanoTime);
    }

    ObservedLeaseLock(Lock lease, LongSupplier nanoTime) {
        this.lease = lease;
        this.nanoTime = nanoTime;
    }

    @Override
    public synchronized LeaderElectionRecord get(KubernetesClient client) {
        LeaderElectionRecord record = lease.get(client);
        if (record == null) {
            seen = null;
            return null;
        }
        long now = nanoTime.getAsLong();
        if (!sameRecord(seen, record)) {
            seen = record;
            seenAt = now;
        }
        ZonedDateTime observed = ZonedDateTime.now(record.getRenewTime() == null ? java.time.ZoneOffset.UTC : record.getRenewTime().getZone())
                .minus(Duration.ofNanos(now - seenAt));
        return record.toBuilder().renewTime(observed).build();
    }

    @Override
    public synchronized void create(KubernetesClient client, LeaderElectionRecord record) {
        lease.create(client, record);
        // the Lease keeps microseconds: the next read, not this record, is what later reads are compared with
        seen = null;
    }

    @Override
    public synchronized void update(KubernetesClient client, LeaderElectionRecord record) {
        lease.update(client, record);
        seen = null;
    }

    @Override
    public String identity() {
        return lease.identity();
    }

    @Override
    public String describe() {
        return lease.describe();
    }

    private static boolean sameRecord(LeaderElectionRecord a, LeaderElectionRecord b) {
        return a != null && Objects.equals(a.getHolderIdentity(), b.getHolderIdentity())
                && Objects.equals(instant(a.getRenewTime()), instant(b.getRenewTime()))
                && Objects.equals(instant(a.getAcquireTime()), instant(b.getAcquireTime()))
                && a.getLeaderTransitions() == b.getLeaderTransitions();
    }

    private static java.time.Instant instant(ZonedDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
