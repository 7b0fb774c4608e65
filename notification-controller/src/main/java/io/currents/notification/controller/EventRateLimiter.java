package io.currents.notification.controller;

import io.currents.runtime.events.FluxEvent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.TreeMap;

/**
 * Drops duplicates as Flux's event server does: an event with the same involved object (name, namespace, kind),
 * message and metadata as one accepted less than {@code rate-limit-interval} ago is refused. It remembers at most
 * {@link #MAX_ENTRIES} events, the oldest forgotten first: a flood of distinct events costs a bounded amount of memory
 * (and at worst lets an old duplicate through), never the controller.
 */
final class EventRateLimiter {

    static final int MAX_ENTRIES = 10_000;

    private final Duration interval;
    private final Clock clock;
    /** Key to acceptance time, oldest acceptance first (insertion order; a re-accepted key moves to the end). */
    private final LinkedHashMap<String, Instant> accepted = new LinkedHashMap<>();

    EventRateLimiter(Duration interval, Clock clock) {
        this.interval = interval;
        this.clock = clock;
    }

    /** True when the event may pass; records it so that its duplicates are refused until the interval ends. */
    boolean tryAccept(FluxEvent event) {
        if (interval.isZero() || interval.isNegative()) {
            return true;
        }
        String key = key(event);
        Instant now = clock.instant();
        synchronized (accepted) {
            Instant at = accepted.get(key);
            if (at != null && at.plus(interval).isAfter(now)) {
                return false;
            }
            accepted.remove(key);
            // expired entries sit at the head; then, if still full, forget the oldest
            var oldest = accepted.entrySet().iterator();
            while (oldest.hasNext()) {
                var entry = oldest.next();
                if (accepted.size() < MAX_ENTRIES && entry.getValue().plus(interval).isAfter(now)) {
                    break;
                }
                oldest.remove();
            }
            accepted.put(key, now);
            return true;
        }
    }

    /** Forgets an event that was let through but then not accepted, so that its retry is not refused as a duplicate. */
    void forget(FluxEvent event) {
        String key = key(event);
        synchronized (accepted) {
            accepted.remove(key);
        }
    }

    /** How many events are remembered. */
    int size() {
        synchronized (accepted) {
            return accepted.size();
        }
    }

    static String key(FluxEvent event) {
        StringBuilder s = new StringBuilder("event");
        s.append('/').append(event.involvedObject().getName())
                .append('/').append(event.involvedObject().getNamespace())
                .append('/').append(event.involvedObject().getKind())
                .append('/').append(event.message());
        if (event.metadata() != null) {
            new TreeMap<>(event.metadata()).forEach((k, v) -> s.append('/').append(k).append('=').append(v));
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
