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

    @Option(names = "--with-credentials", description = "Also export the Secret each source's spec.secretRef names.")
    boolean withCredentials;

    @Mixin
    OutputOptions output = new OutputOptions();

    private final FluxKind kind;

    public ExportCommand(FluxKind kind) {
        this.kind = kind;
    }

    FluxKind kind() {
        return kind;
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
        List<java.util.Map<String, Object>> exported = new ArrayList<>();
        for (GenericKubernetesResource object : objects) {
            exported.add(ObjectMaps.exported(object));
            String secret = FluxObjects.string(FluxObjects.spec(object), "secretRef", "name");
            if (withCredentials && !secret.isEmpty()) {
                exported.add(credentials(object.getMetadata().getNamespace(), secret));
            }
        }
        String text = format.renderAll(exported);
        print(text);
        return 0;
    }

    /** The Secret as flux exports it: name, namespace, type and data only. */
    private java.util.Map<String, Object> credentials(String namespace, String name) {
        var secret = kube.client().secrets().inNamespace(namespace).withName(name).get();
        if (secret == null) {
            throw new CliException("failed to retrieve secret " + name + ": Secret '" + namespace + "/" + name + "' not found");
        }
        java.util.Map<String, Object> map = new java.util.LinkedHashMap<>();
        map.put("apiVersion", "v1");
        map.put("kind", "Secret");
        map.put("metadata", java.util.Map.of("name", name, "namespace", namespace));
        if (secret.getData() != null) {
            map.put("data", new java.util.TreeMap<>(secret.getData()));
        }
        if (secret.getType() != null) {
            map.put("type", secret.getType());
        }
        return map;
    }

    /** Whether flux's export of this kind has --with-credentials (the sources that name a Secret). */
    static boolean hasCredentials(FluxKind kind) {
        return List.of(FluxKind.GIT_REPOSITORY, FluxKind.OCI_REPOSITORY, FluxKind.HELM_REPOSITORY, FluxKind.BUCKET).contains(kind);
    }
}
