package io.currents.e2e;

/**
 * For tests outside this package: the e2e suite's shared controllers stopped for a while, for a test whose objects
 * carry a status written by the test (the UI's fixtures), which running controllers would replace with their own.
 */
public final class SharedControllers {

    /** The controllers stopped until {@link #close()}, which starts them again with the same storage. */
    @FunctionalInterface
    public interface Stopped extends AutoCloseable {
        @Override
        void close();
    }

    private SharedControllers() {
    }

    /** Stops the shared controllers when they run (nothing to do before the first test starts them). */
    public static Stopped stopped() {
        return LocalCluster.stopSharedControllers();
    }
}
