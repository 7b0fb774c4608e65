package io.currents.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --help} on every command of the tree, and flux's "unknown command" failure. */
class HelpAndUnknownCommandTest {

    @Test
    void everyCommandAnswersHelp() {
        List<List<String>> paths = new ArrayList<>();
        walk(Currents.commandLine(), new ArrayList<>(), new IdentityHashMap<>(), paths);
        assertThat(paths).as("the command tree").hasSizeGreaterThan(100);
        List<String> failures = new ArrayList<>();
        for (List<String> path : paths) {
            for (String flag : List.of("--help", "-h")) {
                List<String> args = new ArrayList<>(path);
                args.add(flag);
                CommandResult r = CommandResult.run(args.toArray(String[]::new));
                String usage = "Usage: currents" + (path.isEmpty() ? "" : " " + String.join(" ", path));
                if (r.code() != 0 || !r.out().contains(usage) || !r.err().isEmpty()) {
                    if (flag.equals("-h") && r.code() == 2) {
                        continue; // a command whose -h means something else (its help is --help)
                    }
                    failures.add(String.join(" ", args) + " -> " + r);
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    private static void walk(CommandLine cl, List<String> path, Map<CommandLine, Boolean> seen, List<List<String>> paths) {
        if (seen.put(cl, true) != null) {
            return;
        }
        paths.add(List.copyOf(path));
        for (Map.Entry<String, CommandLine> sub : cl.getSubcommands().entrySet()) {
            if (!sub.getValue().getCommandName().equals(sub.getKey())) {
                continue; // an alias of a command walked under its name
            }
            List<String> next = new ArrayList<>(path);
            next.add(sub.getKey());
            walk(sub.getValue(), next, seen, paths);
        }
    }

    @Test
    void helpDoesNotRequireTheRequiredOptions() {
        CommandResult r = CommandResult.run("bootstrap", "git", "--help");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("--url");
        r = CommandResult.run("install", "--help");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("--components");
    }

    @Test
    void anUnknownCommandFails() {
        for (String[] args : List.of(new String[] {"nope"}, new String[] {"get", "nope"}, new String[] {"create", "secret", "nope"})) {
            CommandResult r = CommandResult.run(args);
            String parent = String.join(" ", Arrays.asList(args).subList(0, args.length - 1));
            assertThat(r.code()).as(r.toString()).isEqualTo(2);
            assertThat(r.out()).as(r.toString()).isEmpty();
            assertThat(r.err()).as(r.toString()).startsWith("✗ unknown command \"nope\" for \"currents"
                    + (parent.isEmpty() ? "" : " " + parent) + "\"");
        }
    }

    @Test
    void anUnknownFlagStillNamesTheFlag() {
        CommandResult r = CommandResult.run("get", "kustomizations", "--nope");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown option: '--nope'");
    }
}
