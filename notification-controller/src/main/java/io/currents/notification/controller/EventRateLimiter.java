package io.currents.notification.controller;

import io.currents.runtime.events.FluxEvent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Drops duplicates as Flux's event server does: an event with the same involved object (name, namespace, kind),
 * message and metadata as one accepted less than {@code rate-limit-interval} ago is refused.
 */
final class EventRateLimiter {

    private final Duration interval;
    private final Clock clock;
    private final Map<String, Instant> accepted = new ConcurrentHashMap<>();

    EventRateLimiter(Duration interval, Clock clock) {
        this.interval = interval;
        this.clock = clock;
    }

    /** True when the event may pass; records it so that its duplicates are refused until the interval ends. */
    boolean tryAccept(FluxEvent event) {
        if (interval.isZero() || interval.isNegative()) {
            return true;
        }
        Instant now = clock.instant();
        if (accepted.size() > 10_000) {
            accepted.values().removeIf(at -> !at.plus(interval).isAfter(now));
        }
        String key = key(event);
        boolean[] fresh = {false};
        accepted.compute(key, (k, at) -> {
            if (at == null || !at.plus(interval).isAfter(now)) {
                fresh[0] = true;
                return now;
            }
            return at;
        });
        return fresh[0];
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
