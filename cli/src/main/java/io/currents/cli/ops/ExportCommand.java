package io.currents.cli.ops;

import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import io.currents.cli.output.OutputFormat;
import io.currents.cli.output.OutputOptions;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

/** {@code currents export <kind> <name>|--all}: the objects as YAML to commit to Git, without status and server fields. */
@Command(mixinStandardHelpOptions = true)
public final class ExportCommand extends ClusterCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "<name>", description = "Name of the object.")
    String name;

    @Option(names = "--all", description = "All objects of this kind in the namespace.")
    boolean all;

    @Mixin
    OutputOptions output = new OutputOptions();

    private final FluxKind kind;

    public ExportCommand(FluxKind kind) {
        this.kind = kind;
    }

    @Override
    public Integer call() {
        List<GenericKubernetesResource> objects = new ArrayList<>();
        if (all) {
            objects.addAll(FluxObjects.list(kube.client(), kind, kube.namespace()).orElseThrow(() -> new CliException(
                    "the " + kind.kind() + " kind is not installed in the cluster; run 'currents install' with the component that owns it")));
            if (objects.isEmpty()) {
                throw new CliException("no " + kind.kind() + " objects found in " + kube.namespace() + " namespace");
            }
        } else if (name == null) {
            throw new CliException("name of the " + kind.humanKind() + " to export is required (or pass --all)", ExitCodes.USAGE);
        } else {
            objects.add(FluxObjects.require(kube.client(), kind, kube.namespace(), name));
        }
        OutputFormat format = output.isSet() ? output.format() : OutputFormat.yaml;
        String text = format.renderAll(objects.stream().map(ObjectMaps::exported).toList());
        print(text);
        return 0;
    }
}
