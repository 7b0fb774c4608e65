package io.currents.helm.controller;

import org.jboss.logging.Logger;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gives the shutdown signals back to the JVM after Helm ran.
 *
 * <p>Helm runs in this process as a Go library (helm-java). Go's runtime in a shared library installs a handler for an
 * asynchronous signal only once Go code asks to be told of it, and Helm's actions as helm-java runs them do: from then
 * on Go's handler stands in place of the JVM's. A SIGTERM from the kubelet (a rollout, a drain, a
 * deleted pod) reached only Go and the JVM never began to shut down, so the pod ran on, still reconciling, until it
 * was killed at the end of its grace period, and its leader lease was never released (a SIGQUIT taken by Go in the
 * same way was seen to fail every running Helm action with {@code context canceled}). After each Helm action the JVM's
 * handling is put back: SIGTERM, SIGINT and SIGHUP exit the JVM as they do in any Java program (status 128 + the
 * signal's number, shutdown hooks run, so Quarkus stops the operator and releases the lease).
 *
 * <p>SIGQUIT (thread dumps, {@code jcmd}) cannot be given back this way: the JVM reserves it. Do not send it to
 * helm-controller (docs/helm-controller.md).
 */
final class ShutdownSignals {

    private static final Logger LOG = Logger.getLogger(ShutdownSignals.class);
    private static final List<String> SIGNALS = List.of("TERM", "INT", "HUP");
    private static final AtomicBoolean exiting = new AtomicBoolean();
    private static volatile boolean unavailable;

    private ShutdownSignals() {
    }

    /** Installs the JVM's handler for the shutdown signals again (cheap: one sigaction each). */
    static void reclaim() {
        if (unavailable) {
            return;
        }
        for (String name : SIGNALS) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), ShutdownSignals::exit);
            } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
                // -Xrs, or a JVM without sun.misc.Signal: the JVM does not handle these signals itself either.
                unavailable = true;
                LOG.debugf("cannot handle SIG%s in the JVM: %s", name, e.getMessage());
                return;
            }
        }
    }

    private static void exit(sun.misc.Signal signal) {
        if (exiting.compareAndSet(false, true)) {
            // as the JVM's own handler does: a new thread, so the signal dispatcher is free while hooks run
            Thread exit = new Thread(() -> System.exit(128 + signal.getNumber()), "exit-on-SIG" + signal.getName());
            exit.setDaemon(false);
            exit.start();
        }
    }
}
