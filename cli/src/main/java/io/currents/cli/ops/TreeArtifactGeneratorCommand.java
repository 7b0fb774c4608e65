package io.currents.cli.ops;

import io.currents.cli.output.OutputOptions;
import io.currents.runtime.apply.ObjectRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code currents tree artifact generator <name>}: the ExternalArtifacts an ArtifactGenerator manages (its inventory). */
@Command(mixinStandardHelpOptions = true)
public final class TreeArtifactGeneratorCommand extends ClusterCommand {

    @Parameters(index = "0", paramLabel = "<name>", description = "Name of the ArtifactGenerator.")
    String name;

    @Mixin
    OutputOptions output = new OutputOptions();

    @Override
    public Integer call() {
        GenericKubernetesResource generator = FluxObjects.require(kube.client(), FluxKind.ARTIFACT_GENERATOR, kube.namespace(), name);
        List<TreeCommand.Node> artifacts = new ArrayList<>();
        if (FluxObjects.status(generator).get("inventory") instanceof List<?> inventory) {
            for (Object item : inventory) {
                Map<String, Object> ref = FluxObjects.map(item);
                artifacts.add(new TreeCommand.Node(FluxKind.EXTERNAL_ARTIFACT.apiVersion(), new ObjectRef(FluxKind.EXTERNAL_ARTIFACT.group(),
                        FluxKind.EXTERNAL_ARTIFACT.kind(), FluxObjects.string(ref, "namespace"), FluxObjects.string(ref, "name")), List.of()));
            }
        }
        TreeCommand.Node tree = new TreeCommand.Node(FluxKind.ARTIFACT_GENERATOR.apiVersion(), new ObjectRef(
                FluxKind.ARTIFACT_GENERATOR.group(), FluxKind.ARTIFACT_GENERATOR.kind(), kube.namespace(), name), artifacts);
        print(output.isSet() ? output.format().render(tree.toMap()) : TreeCommand.render(tree));
        return 0;
    }
}
