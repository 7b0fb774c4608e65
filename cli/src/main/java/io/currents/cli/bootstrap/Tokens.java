package io.currents.cli.bootstrap;

import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** Access tokens as flux's bootstrap reads them: from an environment variable, else one line of standard input. */
final class Tokens {

    private Tokens() {
    }

    /** The token in {@code envVar}, else asked for with {@code prompt}. */
    static String fromEnvOrStdin(String envVar, PrintWriter err, String prompt) {
        String value = System.getenv(envVar);
        return value != null && !value.isEmpty() ? value : fromStdin(err, prompt, "set " + envVar);
    }

    /** One line of standard input after {@code prompt}; {@code hint} says what to do when there is none. */
    static String fromStdin(PrintWriter err, String prompt, String hint) {
        err.print(prompt);
        err.flush();
        try {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            err.println();
            if (line == null || line.isBlank()) {
                throw new CliException("could not read token: nothing on standard input; " + hint, ExitCodes.USAGE);
            }
            return line.trim();
        } catch (IOException e) {
            throw new CliException("could not read token: " + e.getMessage() + "; " + hint, ExitCodes.USAGE, e);
        }
    }
}
