package io.currents.e2e;

import java.time.Duration;
import java.util.function.Supplier;

/** Bounded waits for what the controllers do asynchronously; a wait that runs out fails with what it waited for. */
final class Eventually {

    private Eventually() {
    }

    /** Polls {@code condition} until it holds, failing after {@code timeout} with {@code what} and the last state seen. */
    static void await(String what, Duration timeout, Supplier<Boolean> condition, Supplier<String> state) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Boolean ok;
            try {
                ok = condition.get();
            } catch (RuntimeException e) {
                ok = false;
            }
            if (Boolean.TRUE.equals(ok)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("within " + timeout.toSeconds() + "s: " + what + "; last seen: " + state.get());
            }
            sleep(Duration.ofMillis(500));
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
