package io.currents.cli.dev;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessTreeTest {

    @Test
    void stopsAProcessThatIgnoresSigtermAndWhatItStarted() throws IOException {
        // SIGTERM ignored by the shell and, inherited, by its child: only SIGKILL after the grace period ends them
        Process shell = new ProcessBuilder("bash", "-c", "trap '' TERM; sleep 300 & wait").start();
        ProcessHandle root = shell.toHandle();
        awaitChildren(root);
        List<ProcessHandle> children = root.descendants().toList();
        assertThat(children).isNotEmpty();

        ProcessTree.stop(root, Duration.ofMillis(500));

        assertThat(root.isAlive()).isFalse();
        assertThat(children).noneMatch(ProcessHandle::isAlive);
    }

    @Test
    void stopsAProcessOnSigterm() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "300").start();

        ProcessTree.stop(sleeper.toHandle(), Duration.ofSeconds(30));

        assertThat(sleeper.isAlive()).isFalse();
        assertThat(sleeper.exitValue()).as("ended by SIGTERM (128 + 15), not SIGKILL").isEqualTo(143);
    }

    private static void awaitChildren(ProcessHandle root) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (root.descendants().findAny().isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }
}
