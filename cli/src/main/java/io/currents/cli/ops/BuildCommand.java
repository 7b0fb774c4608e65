package io.currents.cli.ops;

import io.currents.api.kustomize.v1.Kustomization;
import io.currents.cli.kube.KubeOptions;
import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code currents build kustomization <name> --path <dir>}: prints what kustomize-controller would apply for the
 * Kustomization if its source held {@code dir}, using the controller's own build pipeline.
 */
@Command(mixinStandardHelpOptions = true)
public final class BuildCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    KubeOptions kube = new KubeOptions();

    @Parameters(index = "0", paramLabel = "<name>", description = "Name of the Kustomization.")
    String name;

    @Option(names = "--path", required = true, description = "Local directory standing for the Kustomization's spec.path.")
    Path path;

    @Option(names = "--kustomization-file", description = "Read the Kustomization from this YAML file instead of the cluster.")
    Path kustomizationFile;

    @Option(names = "--dry-run", description = "Do not contact the cluster (needs --kustomization-file; substituteFrom is skipped).")
    boolean dryRun;

    @Override
    public Integer call() {
        if (dryRun && kustomizationFile == null) {
            throw new CliException("--dry-run needs --kustomization-file, since the Kustomization cannot be read from the cluster", ExitCodes.USAGE);
        }
        Kustomization k = LocalBuild.load(dryRun ? null : kube.client(), kube.namespace(), name, kustomizationFile);
        List<GenericKubernetesResource> objects = LocalBuild.build(k, path, dryRun ? null : kube.client());
        spec.commandLine().getOut().print(LocalBuild.render(objects));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
