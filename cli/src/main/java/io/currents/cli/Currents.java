package io.currents.cli;

import io.currents.cli.dev.DevCommand;
import io.currents.cli.output.CliException;
import io.currents.cli.output.Errors;
import io.currents.cli.output.ExitCodes;
import io.currents.cli.bootstrap.BootstrapCommand;
import io.currents.cli.install.CheckCommand;
import io.currents.cli.install.InstallCommand;
import io.currents.cli.install.UninstallCommand;
import io.currents.cli.install.Version;
import io.currents.cli.install.VersionCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code currents} command line; each area of the toolkit is a subcommand. */
@Command(name = "currents", mixinStandardHelpOptions = true, versionProvider = Currents.VersionProvider.class,
        description = "GitOps toolkit for Kubernetes, API-compatible with Flux.",
        subcommands = {BootstrapCommand.class, InstallCommand.class, UninstallCommand.class, CheckCommand.class, VersionCommand.class,
                KustomizeCommand.class, DevCommand.class, CommandLine.HelpCommand.class})
public final class Currents implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Builds the command line; tests run it in-process. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Currents());
        io.currents.cli.ops.OpsCommands.register(cl);
        io.currents.cli.artifact.ArtifactCommands.register(cl);
        addHelpOptions(cl, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
        // Bad flags: one line naming the problem and where the help is, instead of the whole usage text.
        cl.setParameterExceptionHandler((ex, args) -> {
            var err = ex.getCommandLine().getErr();
            String unknown = unknownCommand(ex);
            if (unknown != null) {
                // as cobra answers: Error: unknown command "nope" for "flux get"
                err.println("✗ unknown command \"" + unknown + "\" for \"" + ex.getCommandLine().getCommandSpec().qualifiedName()
                        + "\"; see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'");
                err.flush();
                return ExitCodes.USAGE;
            }
            String message = ex.getMessage().endsWith(".") ? ex.getMessage().substring(0, ex.getMessage().length() - 1) : ex.getMessage();
            err.println("✗ " + message + "; see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'");
            err.flush();
            return ExitCodes.USAGE;
        });
        // Every failure ends as one line "✗ <sentence>" on standard error and an exit code scripts can rely on.
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            if (System.getenv("CURRENTS_DEBUG") != null) {
                ex.printStackTrace(cmd.getErr());
            }
            cmd.getErr().println("✗ " + Errors.describe(ex));
            cmd.getErr().flush();
            return ex instanceof CliException cli ? cli.exitCode() : ExitCodes.FAILURE;
        });
        return cl;
    }

    /**
     * Gives every command of the tree {@code -h/--help} (only {@code --help} where {@code -h} means something else), so
     * that help works on all of them, before required options and arguments are checked.
     */
    static void addHelpOptions(CommandLine cl, java.util.Set<CommandLine> seen) {
        if (!seen.add(cl)) {
            return;
        }
        CommandLine.Model.CommandSpec spec = cl.getCommandSpec();
        if (spec.findOption("--help") == null) {
            String[] names = spec.findOption("-h") == null ? new String[] {"-h", "--help"} : new String[] {"--help"};
            spec.addOption(CommandLine.Model.OptionSpec.builder(names).usageHelp(true)
                    .description("Show this help message and exit.").build());
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            addHelpOptions(sub, seen);
        }
    }

    /** The word that is not a subcommand, when a command that has subcommands was given an unknown one. */
    private static String unknownCommand(CommandLine.ParameterException ex) {
        if (!(ex instanceof CommandLine.UnmatchedArgumentException unmatched)
                || ex.getCommandLine().getSubcommands().isEmpty()
                || !ex.getCommandLine().getCommandSpec().positionalParameters().isEmpty()) {
            return null;
        }
        java.util.List<String> words = unmatched.getUnmatched();
        return words.isEmpty() || words.get(0).startsWith("-") ? null : words.get(0);
    }

    /** {@code currents --version}: the version of this build. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"currents " + Version.tag()};
        }
    }

    public static void main(String[] args) {
        // JGit (remote bases) logs through SLF4J; without a provider SLF4J would warn on stderr
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
        int code = commandLine().execute(args);
        System.out.flush();
        System.exit(code);
    }
}
