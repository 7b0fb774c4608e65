package io.currents.bench.notificationcontroller;

import io.currents.testkit.ControlPlane;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * bench/notification-controller/run.sh keeps running: its main, at the script's {@code tiny} size, starts the packaged
 * controller, gets every unique event delivered, every repeat answered 429, and prints its figures and the ratio
 * against the reference. Speed is not checked: a benchmark never fails for being slow.
 */
@Tag("cluster")
class NotificationBenchRunsAtTinySizeTest {

    @Test
    void theTinyFloodIsDeliveredAndTheFiguresAndRatioArePrinted() throws Exception {
        Path app = ControlPlane.projectRoot().resolve("notification-controller/target/quarkus-app");
        assumeTrue(Files.exists(app.resolve("quarkus-run.jar")), "the packaged notification-controller is built before bench");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        NotificationControllerBench.Figures f;
        try (PrintStream print = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            f = NotificationControllerBench.run(app, 300, 6000, 1, Path.of("target", "bench-smoke"), print);
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        System.out.print(text);

        assertThat(f.accepted1()).as(text).isEqualTo(f.unique1());
        assertThat(f.limited1()).as(text).isEqualTo(300 - f.unique1());
        assertThat(f.delivered1()).as(text).isEqualTo(f.expected1()).isEqualTo(f.unique1());
        assertThat(f.accepted2()).as(text).isEqualTo(300);
        assertThat(f.delivered2()).as(text).isEqualTo(300);
        assertThat(f.ratio()).as(text).isPositive();
        assertThat(text).contains("controller RSS: ", "reference: 300 POSTs straight to the sink", "ratio controller deliveries/s / direct POSTs/s: ");
    }
}
