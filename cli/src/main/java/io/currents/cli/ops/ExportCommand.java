package io.currents.cli.ops;

import io.currents.cli.kube.KubeOptions;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code currents export <kind> <name>|--all}: the objects as YAML to commit to Git, without status and server fields. */
@Command(mixinStandardHelpOptions = true)
public final class ExportCommand implements OpsCommand {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    KubeOptions kube = new KubeOptions();

    @Parameters(index = "0", arity = "0..1", paramLabel = "<name>", description = "Name of the object.")
    String name;

    @Option(names = "--all", description = "All objects of this kind in the namespace.")
    boolean all;

    @Option(names = {"-o", "--output"}, paramLabel = "<format>", description = "yaml (default) or json.")
    String output = "yaml";

    private final FluxKind kind;

    public ExportCommand(FluxKind kind) {
        this.kind = kind;
    }

    @Override
    public Integer execute() {
        List<GenericKubernetesResource> objects = new ArrayList<>();
        if (all) {
            objects.addAll(FluxObjects.list(kube.client(), kind, kube.namespace()).orElseThrow(() -> new OpsException(
                    "the " + kind.kind() + " kind is not installed in the cluster; run 'currents install' with the component that owns it")));
            if (objects.isEmpty()) {
                throw new OpsException("no " + kind.kind() + " objects found in " + kube.namespace() + " namespace");
            }
        } else if (name == null) {
            throw new OpsException("name of the " + kind.humanKind() + " to export is required (or pass --all)");
        } else {
            objects.add(FluxObjects.require(kube.client(), kind, kube.namespace(), name));
        }
        StringBuilder sb = new StringBuilder();
        switch (output.toLowerCase(Locale.ROOT)) {
            case "yaml" -> objects.forEach(o -> sb.append(Console.yamlDocument(ObjectMaps.exported(o))));
            case "json" -> {
                if (objects.size() == 1) {
                    sb.append(Console.json(ObjectMaps.exported(objects.get(0))));
                } else {
                    Map<String, Object> list = new LinkedHashMap<>();
                    list.put("apiVersion", "v1");
                    list.put("kind", "List");
                    list.put("items", objects.stream().map(ObjectMaps::exported).toList());
                    sb.append(Console.json(list));
                }
            }
            default -> throw new OpsException("unknown output format '" + output + "'; use yaml or json");
        }
        spec.commandLine().getOut().print(sb);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
