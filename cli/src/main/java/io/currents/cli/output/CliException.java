package io.currents.cli.output;

/**
 * A failure a command reports to the user: its message is one sentence saying what went wrong and
 * what to do, printed as {@code ✗ <message>}; the exit code is one of {@link ExitCodes}.
 */
public class CliException extends RuntimeException {

    private final int exitCode;

    public CliException(String sentence) {
        this(sentence, ExitCodes.FAILURE, null);
    }

    public CliException(String sentence, int exitCode) {
        this(sentence, exitCode, null);
    }

    public CliException(String sentence, int exitCode, Throwable cause) {
        super(sentence, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** A wait that ran out of time; exits with {@link ExitCodes#TIMEOUT}. */
    public static CliException timeout(String sentence) {
        return new CliException(sentence, ExitCodes.TIMEOUT);
    }
}
