package io.currents.cli.install;

import io.currents.cli.kube.KubeOptions;
import io.currents.cli.output.ExitCodes;
import io.currents.cli.output.OutputOptions;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code currents version}: the CLI's version and, unless {@code --client}, the installed controllers' versions. */
@Command(name = "version", description = "Print the CLI version and the versions of the controllers in the cluster.")
public final class VersionCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    KubeOptions kube;

    @Mixin
    OutputOptions output;

    @Option(names = "--client", description = "Print only the CLI version, without contacting the cluster.")
    boolean client;

    @Override
    public Integer call() {
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("currents", Version.tag());
        if (!client) {
            try {
                var namespace = kube.client().namespaces().withName(kube.namespace()).get();
                if (namespace != null && namespace.getMetadata().getLabels() != null
                        && namespace.getMetadata().getLabels().containsKey(InstallManifests.VERSION_LABEL)) {
                    versions.put("distribution", "currents-" + namespace.getMetadata().getLabels().get(InstallManifests.VERSION_LABEL));
                }
                List<Deployment> deployments = kube.client().apps().deployments().inNamespace(kube.namespace())
                        .withLabelSelector(InstallManifests.PART_OF + "=" + InstallManifests.PART_OF_VALUE).list().getItems()
                        .stream().sorted(Comparator.comparing(d -> d.getMetadata().getName())).toList();
                for (Deployment d : deployments) {
                    String image = d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
                    int colon = image.lastIndexOf(':');
                    versions.put(d.getMetadata().getName(), colon > image.lastIndexOf('/') ? image.substring(colon + 1) : "latest");
                }
            } finally {
                kube.close();
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output.isSet()) {
            out.print(output.format().render(versions));
        } else {
            versions.forEach((k, v) -> out.println(k + ": " + v));
        }
        out.flush();
        return ExitCodes.OK;
    }
}
