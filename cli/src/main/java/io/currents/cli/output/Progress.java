package io.currents.cli.output;

import java.io.PrintWriter;
import java.util.function.Supplier;

/**
 * Progress lines on standard error, with flux's markers ({@code ►} action, {@code ✚} generated, {@code ◎} waiting,
 * {@code ✔} success, {@code ⚠} warning, {@code ✗} failure). On a terminal a wait shows a spinner that is erased
 * when it ends; otherwise (pipes, files, CI logs, tests) each line is printed once and nothing is redrawn.
 */
public final class Progress {

    private static final char[] SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏".toCharArray();

    private final PrintWriter err;
    private final boolean terminal;

    public Progress(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    /** Progress on {@code err}, with a spinner only when standard error is an interactive terminal. */
    public static Progress to(PrintWriter err) {
        return new Progress(err, Terminal.interactive());
    }

    /** Where the progress goes (standard error): questions asked along the way go there too. */
    public PrintWriter writer() {
        return err;
    }

    /** Whether waits are animated (standard error is an interactive terminal). */
    public boolean animated() {
        return terminal;
    }

    public void action(String message) {
        line("► ", message);
    }

    public void generated(String message) {
        line("✚ ", message);
    }

    public void waiting(String message) {
        line("◎ ", message);
    }

    public void success(String message) {
        line("✔ ", message);
    }

    public void warning(String message) {
        line("⚠ ", message);
    }

    public void failure(String message) {
        line("✗ ", message);
    }

    /**
     * Runs {@code work} while showing that we wait for it: a {@code ◎} line, animated on a terminal. The line
     * stays (as printed once) when not on a terminal; on a terminal it is replaced by what follows.
     */
    public <T> T waitFor(String message, Supplier<T> work) {
        if (!terminal) {
            waiting(message);
            return work.get();
        }
        Thread spinner = Thread.ofPlatform().daemon().name("spinner").start(() -> {
            int i = 0;
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    synchronized (err) {
                        err.print("\r" + SPINNER[i++ % SPINNER.length] + " " + message);
                        err.flush();
                    }
                    Thread.sleep(100);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            return work.get();
        } finally {
            spinner.interrupt();
            try {
                spinner.join(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (err) {
                err.print("\r\033[2K◎ " + message + "\n");
                err.flush();
            }
        }
    }

    private void line(String marker, String message) {
        synchronized (err) {
            err.println(marker + message);
            err.flush();
        }
    }

    /** Whether the process talks to a person: a console on standard error, no {@code TERM=dumb}, no {@code NO_SPINNER}. */
    public static final class Terminal {
        private Terminal() {
        }

        public static boolean interactive() {
            if (System.getenv("CURRENTS_NO_SPINNER") != null || "dumb".equals(System.getenv("TERM"))
                    || System.getenv("CI") != null) {
                return false;
            }
            java.io.Console console = System.console();
            if (console == null) {
                return false;
            }
            // From Java 22 System.console() exists even when redirected; isTerminal() tells the truth there.
            try {
                return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
            } catch (ReflectiveOperationException e) {
                return true;
            }
        }
    }
}
