package io.currents.ui;

import java.time.Duration;

/** kubectl's short durations. */
final class Ages {

    private Ages() {
    }

    static String format(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 120) {
            return s + "s";
        }
        if (s < 120 * 60) {
            return s / 60 + "m";
        }
        if (s < 48 * 3600) {
            return s / 3600 + "h";
        }
        return s / 86400 + "d";
    }
}
