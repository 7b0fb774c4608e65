package io.currents.cli.dev;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Stops a process and everything it started: SIGTERM first, SIGKILL for whatever is still running after a grace period. */
final class ProcessTree {

    private ProcessTree() {
    }

    /** Stops {@code root} and its descendants (e.g. etcd and kube-apiserver under the dev environment's JVM). */
    static void stop(ProcessHandle root, Duration grace) {
        // listed before the root goes: once it is gone its children are re-parented and no longer found from it
        List<ProcessHandle> descendants = root.descendants().toList();
        terminate(root, grace);
        for (ProcessHandle child : descendants) {
            terminate(child, Duration.ofSeconds(5));
        }
    }

    private static void terminate(ProcessHandle process, Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!awaitExit(process, grace)) {
            process.destroyForcibly();
            awaitExit(process, Duration.ofSeconds(10));
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
