package io.currents.cli.ops;

import io.currents.cli.ops.create.CreateCommands;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.List;
import java.util.function.Function;

/**
 * Adds the everyday commands (get, reconcile, suspend, resume, create, export, build, diff, events, tree, trace) to
 * the root command, one subcommand per kind under flux's names ({@code source external}, {@code artifact generator}).
 */
public final class OpsCommands {

    private OpsCommands() {
    }

    /** A command that only groups subcommands and prints its usage when run alone. */
    @Command(mixinStandardHelpOptions = true)
    static final class Group implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    /** A group of subcommands with this description. */
    public static CommandLine group(String description) {
        return command(new Group(), description);
    }

    /** A subcommand with this description and without its own --version. */
    public static CommandLine command(Object command, String description) {
        CommandLine cl = new CommandLine(command);
        cl.getCommandSpec().usageMessage().description(description);
        // subcommands have no version of their own: `currents --version` prints it
        CommandLine.Model.OptionSpec version = cl.getCommandSpec().findOption("--version");
        if (version != null && version.versionHelp()) {
            cl.getCommandSpec().remove(version);
        }
        return cl;
    }

    public static void register(CommandLine root) {
        root.addSubcommand("get", get());
        root.addSubcommand("reconcile", perKind("Trigger a reconciliation and wait for its result.",
                k -> new ReconcileCommand(k), "Reconcile",
                List.of(FluxKind.values()).stream().filter(k -> k.reconciled() && k.driven()).toList()));
        root.addSubcommand("suspend", perKind("Suspend the reconciliation of objects.",
                k -> new SuspendCommand(k, true), "Suspend", List.of(FluxKind.values()).stream().filter(FluxKind::driven).toList()));
        root.addSubcommand("resume", perKind("Resume suspended objects and wait for them to be ready.",
                k -> new SuspendCommand(k, false), "Resume", List.of(FluxKind.values()).stream().filter(FluxKind::driven).toList()));
        root.addSubcommand("create", CreateCommands.create());
        root.addSubcommand("delete", perKind("Delete Flux objects (after a confirmation, unless --silent).",
                k -> new DeleteCommand(k), "Delete", List.of(FluxKind.values()).stream().filter(FluxKind::driven).toList()));
        root.addSubcommand("envsubst", command(new EnvsubstCommand(),
                "Substitute ${VAR} expressions of standard input with environment variables, as a Kustomization's postBuild does."));
        root.addSubcommand("export", perKind("Export objects as YAML without status and server fields.",
                k -> new ExportCommand(k), "Export", List.of(FluxKind.values())));
        // --with-credentials only where flux has it: the sources that reference a Secret
        forEachLeaf(root.getSubcommands().get("export"), cl -> {
            if (cl.getCommand() instanceof ExportCommand e && !ExportCommand.hasCredentials(e.kind())) {
                cl.getCommandSpec().remove(cl.getCommandSpec().findOption("--with-credentials"));
            }
        });
        CommandLine build = group("Build a Kustomization locally as the controller would.");
        build.addSubcommand("kustomization", command(new BuildCommand(), "Print the objects a Kustomization would apply."), "ks");
        root.addSubcommand("build", build);
        CommandLine diff = group("Compare a local build with the cluster.");
        diff.addSubcommand("kustomization", command(new DiffCommand(), "Server-side dry-run diff of a local build against the cluster."), "ks");
        root.addSubcommand("diff", diff);
        root.addSubcommand("events", command(new EventsCommand(), "Print the Kubernetes events of Flux objects."));
        CommandLine tree = group("Print the objects a Flux object manages as a tree.");
        tree.addSubcommand("kustomization", command(new TreeCommand(), "The inventory of a Kustomization as a tree."), "ks");
        CommandLine treeArtifact = group("Print the objects of an artifact producer as a tree.");
        treeArtifact.addSubcommand("generator", command(new TreeArtifactGeneratorCommand(),
                "The ExternalArtifacts an ArtifactGenerator manages."), "generators");
        tree.addSubcommand("artifact", treeArtifact, "artifacts");
        root.addSubcommand("tree", tree);
        root.addSubcommand("plan", command(new io.currents.cli.plan.PlanCommand(),
                "Show what a Git change would make the controllers create, update and delete."));
        root.addSubcommand("explain", command(new ExplainCommand(),
                "Explain why a Kustomization or HelmRelease is (not) applied: conditions, what it waits on, drift, events."));
        root.addSubcommand("trace", command(new TraceCommand(), "Show which Kustomization or HelmRelease manages an object."));
        ApproveCommand.register(root);
        root.addSubcommand("completion", CompletionCommand.group());
        CommandLine debug = group("Print the status, history or final post-build variables of a Kustomization or HelmRelease.");
        debug.addSubcommand("kustomization", command(new DebugCommand(FluxKind.KUSTOMIZATION),
                "Status, history or post-build variables of a Kustomization."), "ks");
        CommandLine debugRelease = command(new DebugCommand(FluxKind.HELM_RELEASE), "Status or history of a HelmRelease.");
        debugRelease.getCommandSpec().remove(debugRelease.getCommandSpec().findOption("--show-vars"));
        debug.addSubcommand("helmrelease", debugRelease, "hr");
        root.addSubcommand("debug", debug);
        root.addSubcommand("logs", command(new LogsCommand(), "Print the controllers' log lines about Flux objects."));
        root.addSubcommand("migrate", command(new MigrateCommand(), "Migrate the Flux custom resources to their latest API version."));
        CommandLine trigger = group("Trigger Flux resources from outside the cluster.");
        trigger.addSubcommand("receiver", command(new TriggerReceiverCommand(), "Trigger the webhook of a Receiver."));
        root.addSubcommand("trigger", trigger);
        root.addSubcommand("stats", command(new StatsCommand(), "Print how many Flux objects of each kind run, fail and are suspended."));
    }

    private static void forEachLeaf(CommandLine cl, java.util.function.Consumer<CommandLine> action) {
        if (cl.getSubcommands().isEmpty()) {
            action.accept(cl);
        }
        new java.util.LinkedHashSet<>(cl.getSubcommands().values()).forEach(sub -> forEachLeaf(sub, action));
    }

    private static CommandLine get() {
        CommandLine get = group("Print the status of Flux objects.");
        CommandLine sources = group("Print the status of sources.");
        for (FluxKind k : FluxKind.SOURCES) {
            sources.addSubcommand(k.humanKind().substring("source ".length()),
                    command(new GetCommand(List.of(k), false), "Print the status of " + k.kind() + " sources."));
        }
        sources.addSubcommand("all", command(new GetCommand(FluxKind.SOURCES, true), "Print the status of all sources."));
        get.addSubcommand("sources", sources, "source");
        get.addSubcommand("kustomizations", command(new GetCommand(List.of(FluxKind.KUSTOMIZATION), false),
                "Print the status of Kustomizations."), "kustomization", "ks");
        get.addSubcommand("helmreleases", command(new GetCommand(List.of(FluxKind.HELM_RELEASE), false),
                "Print the status of HelmReleases."), "helmrelease", "hr");
        get.addSubcommand("alerts", command(new GetCommand(List.of(FluxKind.ALERT), false), "Print the status of Alerts."), "alert");
        get.addSubcommand("alert-providers", command(new GetCommand(List.of(FluxKind.PROVIDER), false),
                "Print the status of alert Providers."), "alert-provider", "providers");
        get.addSubcommand("receivers", command(new GetCommand(List.of(FluxKind.RECEIVER), false),
                "Print the status of Receivers."), "receiver");
        CommandLine images = group("Print the status of image automation objects.");
        images.addSubcommand("repository", command(new GetCommand(List.of(FluxKind.IMAGE_REPOSITORY), false),
                "Print the status of ImageRepositories."));
        images.addSubcommand("policy", command(new GetCommand(List.of(FluxKind.IMAGE_POLICY), false), "Print the status of ImagePolicies."));
        images.addSubcommand("update", command(new GetCommand(List.of(FluxKind.IMAGE_UPDATE_AUTOMATION), false),
                "Print the status of ImageUpdateAutomations."));
        images.addSubcommand("all", command(new GetCommand(FluxKind.IMAGES, true), "Print the status of all image automation objects."));
        get.addSubcommand("images", images, "image");
        CommandLine artifacts = group("Print the status of artifact producers.");
        artifacts.addSubcommand("generators", command(new GetCommand(List.of(FluxKind.ARTIFACT_GENERATOR), false),
                "Print the status of ArtifactGenerators."), "generator");
        get.addSubcommand("artifact", artifacts, "artifacts");
        get.addSubcommand("all", command(new GetCommand(List.of(FluxKind.GIT_REPOSITORY, FluxKind.OCI_REPOSITORY,
                FluxKind.HELM_REPOSITORY, FluxKind.BUCKET, FluxKind.HELM_CHART, FluxKind.EXTERNAL_ARTIFACT,
                FluxKind.KUSTOMIZATION, FluxKind.HELM_RELEASE,
                FluxKind.ALERT, FluxKind.PROVIDER, FluxKind.RECEIVER, FluxKind.IMAGE_REPOSITORY, FluxKind.IMAGE_POLICY,
                FluxKind.IMAGE_UPDATE_AUTOMATION), true), "Print the status of all Flux objects."));
        return get;
    }

    /** A group with flux's layout: {@code <verb> source git|helm|oci|bucket|chart}, {@code <verb> kustomization}, ... */
    private static CommandLine perKind(String description, Function<FluxKind, Object> factory, String verb, List<FluxKind> kinds) {
        CommandLine group = group(description);
        CommandLine sources = group(verb + " sources.");
        CommandLine images = group(verb + " image automation objects.");
        CommandLine artifacts = group(verb + " artifact producers.");
        for (FluxKind k : kinds) {
            String text = verb + " " + k.kind() + " objects.";
            switch (k) {
                case GIT_REPOSITORY, OCI_REPOSITORY, HELM_REPOSITORY, BUCKET, HELM_CHART, EXTERNAL_ARTIFACT ->
                        sources.addSubcommand(k.humanKind().substring("source ".length()), command(factory.apply(k), text));
                case ARTIFACT_GENERATOR -> artifacts.addSubcommand("generator", command(factory.apply(k), text), "generators");
                case IMAGE_REPOSITORY, IMAGE_POLICY, IMAGE_UPDATE_AUTOMATION ->
                        images.addSubcommand(k.humanKind().substring("image ".length()), command(factory.apply(k), text));
                case KUSTOMIZATION -> group.addSubcommand("kustomization", command(factory.apply(k), text), "ks", "kustomizations");
                case HELM_RELEASE -> group.addSubcommand("helmrelease", command(factory.apply(k), text), "hr", "helmreleases");
                default -> group.addSubcommand(k.humanKind(), command(factory.apply(k), text));
            }
        }
        if (!sources.getSubcommands().isEmpty()) {
            group.addSubcommand("source", sources, "sources");
        }
        if (!images.getSubcommands().isEmpty()) {
            group.addSubcommand("image", images, "images");
        }
        if (!artifacts.getSubcommands().isEmpty()) {
            group.addSubcommand("artifact", artifacts, "artifacts");
        }
        return group;
    }
}
