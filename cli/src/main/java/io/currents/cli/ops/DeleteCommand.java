package io.currents.cli.ops;

import io.currents.cli.output.CliException;
import io.currents.cli.output.Confirmation;
import io.currents.cli.output.ExitCodes;
import io.currents.cli.output.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Locale;

/**
 * {@code currents delete <kind> <name> [-s]}: deletes one Flux object after flux's confirmation prompt. The
 * controllers' finalizers then do what the object's spec says (a Kustomization with {@code prune: true} removes what
 * it applied, a HelmRelease uninstalls its release), as with {@code flux delete}.
 */
@Command
public final class DeleteCommand extends ClusterCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "<name>", description = "Name of the object to delete.")
    String name;

    @Option(names = {"-s", "--silent"}, description = "Delete the object without asking for confirmation.")
    boolean silent;

    private final FluxKind kind;

    public DeleteCommand(FluxKind kind) {
        this.kind = kind;
    }

    @Override
    public Integer call() {
        if (name == null || name.isBlank()) {
            throw new CliException(kind.humanKind() + " name is required", ExitCodes.USAGE);
        }
        Progress progress = newProgress();
        String namespace = kube.namespace();
        FluxObjects.require(kube.client(), kind, namespace, name);
        if (!silent && !Confirmation.ask(spec.commandLine().getErr(),
                "Are you sure you want to delete this " + kind.humanKind().toLowerCase(Locale.ROOT) + "?", "--silent")) {
            progress.failure("aborting");
            return ExitCodes.FAILURE;
        }
        progress.action("deleting " + kind.humanKind() + " " + name + " in " + namespace + " namespace");
        kube.client().genericKubernetesResources(kind.context()).inNamespace(namespace).withName(name).delete();
        progress.success(kind.humanKind() + " deleted");
        return 0;
    }
}
