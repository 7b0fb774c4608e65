package io.currents.cli.ops;

import io.currents.cli.output.CliException;
import io.currents.runtime.substitute.Envsubst;
import io.currents.runtime.substitute.SubstitutionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code currents envsubst [--strict] < in > out}: expands {@code ${VAR}}, {@code ${VAR:=default}}, … of standard
 * input, line by line, with the environment's variables, using the expression language (and its strict mode) of a
 * Kustomization's {@code spec.postBuild.substitute}, as {@code flux envsubst} does.
 */
@Command
public final class EnvsubstCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--strict", description = "Fail when a variable without a default value is not set.")
    boolean strict;

    /** The variables; the process environment unless a test sets others. */
    Map<String, String> environment = System.getenv();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try {
            int number = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                number++;
                try {
                    out.println(Envsubst.eval(line, name -> {
                        String value = environment.get(name);
                        return strict ? Optional.ofNullable(value) : Optional.of(value == null ? "" : value);
                    }));
                } catch (SubstitutionException e) {
                    out.flush();
                    throw new CliException("line " + number + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read standard input", e);
        }
        out.flush();
        return 0;
    }
}
