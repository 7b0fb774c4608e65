package io.currents.e2e;

import java.time.Duration;

/**
 * A controller the end-to-end tests run next to the local control plane: a JVM process from its packaged application
 * (the default) or its container image ({@code CURRENTS_E2E_RUNTIME=image}).
 */
interface LocalController {

    String name();

    /** The port of its HTTP server (artifacts, events). */
    int httpPort();

    /** Whether {@code /q/health/ready} on its management port answers 200. */
    boolean isReady();

    /** Waits until ready; fails with the end of its log when it exits or takes too long. */
    void awaitReady(Duration timeout);

    /** SIGTERM, then SIGKILL after {@code grace}. */
    void stop(Duration grace);
}
