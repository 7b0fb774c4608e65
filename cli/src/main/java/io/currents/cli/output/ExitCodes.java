package io.currents.cli.output;

/**
 * The exit codes of every {@code currents} command, so scripts can branch on them. They follow the
 * {@code flux} CLI (0 success, 1 failure) and picocli's usage code; {@code diff} follows
 * {@code kubectl diff}, where 1 means "differences found".
 */
public final class ExitCodes {

    /** The command did what was asked. */
    public static final int OK = 0;
    /** The command failed: an error, a failed check, an object that did not become ready. */
    public static final int FAILURE = 1;
    /** Bad flags or arguments: nothing was done. */
    public static final int USAGE = 2;
    /** A wait ({@code --timeout}) ran out before the objects became ready. */
    public static final int TIMEOUT = 3;
    /** {@code diff}: the cluster differs from the desired state (not an error). */
    public static final int DRIFT = 1;
    /** {@code diff}: the comparison itself failed (the cluster was not compared). */
    public static final int DIFF_ERROR = 4;

    private ExitCodes() {
    }
}
