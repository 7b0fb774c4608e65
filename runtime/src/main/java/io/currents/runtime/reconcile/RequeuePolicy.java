package io.currents.runtime.reconcile;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to look at an object again: after its interval with Flux's jitter on success, and with
 * exponential backoff (capped at the interval or the retry interval) after consecutive failures.
 */
public final class RequeuePolicy {

    private final double jitterFraction;
    private final Duration baseBackoff;
    private final Duration maxBackoff;
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();

    /**
     * @param jitterPercentage Flux's {@code --interval-jitter-percentage} (default 5)
     * @param baseBackoff      first retry delay after a failure
     * @param maxBackoff       the longest retry delay
     */
    public RequeuePolicy(int jitterPercentage, Duration baseBackoff, Duration maxBackoff) {
        if (jitterPercentage < 0 || jitterPercentage >= 100) {
            throw new IllegalArgumentException("jitter percentage must be in [0, 100)");
        }
        this.jitterFraction = jitterPercentage / 100.0;
        this.baseBackoff = baseBackoff;
        this.maxBackoff = maxBackoff;
    }

    public static RequeuePolicy fluxDefaults() {
        return new RequeuePolicy(5, Duration.ofSeconds(1), Duration.ofMinutes(5));
    }

    /** The next reconcile after a success: the interval ± jitter; resets the failure count. */
    public Duration afterSuccess(String key, Duration interval) {
        failures.remove(key);
        return jitter(interval);
    }

    /** The next reconcile after a failure: doubling from the base backoff, never beyond {@code cap}. */
    public Duration afterFailure(String key, Duration cap) {
        int n = failures.merge(key, 1, Integer::sum);
        long millis = baseBackoff.toMillis() << Math.min(n - 1, 20);
        long limit = Math.min(maxBackoff.toMillis(), cap == null || cap.isZero() ? Long.MAX_VALUE : cap.toMillis());
        return Duration.ofMillis(Math.max(1, Math.min(millis, limit)));
    }

    public int failureCount(String key) {
        return failures.getOrDefault(key, 0);
    }

    public void forget(String key) {
        failures.remove(key);
    }

    Duration jitter(Duration interval) {
        if (jitterFraction == 0 || interval.isZero()) {
            return interval;
        }
        double factor = 1 + ThreadLocalRandom.current().nextDouble(-jitterFraction, jitterFraction);
        return Duration.ofMillis((long) (interval.toMillis() * factor));
    }
}
