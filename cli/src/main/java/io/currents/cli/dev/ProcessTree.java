package io.currents.cli.dev;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Stops a process and everything it started: SIGTERM first, SIGKILL for whatever is still running after a grace period. */
final class ProcessTree {

    private ProcessTree() {
    }

    /**
     * Stops {@code root} and its descendants (e.g. etcd and kube-apiserver under the dev environment's JVM): all get
     * SIGTERM at once, so each shuts down on its own instead of one after the other; whatever still runs after
     * {@code grace} gets SIGKILL.
     */
    static void stop(ProcessHandle root, Duration grace) {
        stop(List.of(root), grace);
    }

    /** Stops several process trees at once, sharing one grace period. */
    static void stop(List<ProcessHandle> roots, Duration grace) {
        // listed before the roots go: once a root is gone its children are re-parented and no longer found from it
        List<ProcessHandle> all = new ArrayList<>();
        for (ProcessHandle root : roots) {
            all.addAll(root.descendants().toList());
            all.add(root);
        }
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle process : all) {
            long left = Math.max(0, deadline - System.nanoTime());
            awaitExit(process, Duration.ofNanos(left));
        }
        for (ProcessHandle process : all) {
            if (process.isAlive()) {
                process.destroyForcibly();
                awaitExit(process, Duration.ofSeconds(10));
            }
        }
    }

    private static boolean awaitExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return !process.isAlive();
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }
}
