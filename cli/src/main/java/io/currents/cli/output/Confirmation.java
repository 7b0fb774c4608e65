package io.currents.cli.output;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/** flux's yes/no prompt before a destructive command: the question on standard error, the answer from standard input. */
public final class Confirmation {

    private Confirmation() {
    }

    /**
     * Asks {@code question [y/N]} and returns whether the answer is y or yes; {@code silentFlag} names the flag that
     * skips the question, for the message when standard input cannot be read.
     */
    public static boolean ask(PrintWriter err, String question, String silentFlag) {
        err.print(question + " [y/N] ");
        err.flush();
        try {
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return answer != null && List.of("y", "yes").contains(answer.trim().toLowerCase(Locale.ROOT));
        } catch (IOException e) {
            throw new CliException("cannot read the confirmation from standard input; pass " + silentFlag + " to go on without asking");
        }
    }
}
