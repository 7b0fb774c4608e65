package io.currents.cli.ops;

import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;

/**
 * {@code currents build kustomization <name> --path <dir>}: prints what kustomize-controller would apply for the
 * Kustomization if its source held {@code dir}, using the controller's own build pipeline.
 */
@Command(mixinStandardHelpOptions = true)
public final class BuildCommand extends ClusterCommand {

    @Mixin
    LocalBuildOptions local = new LocalBuildOptions();

    @Option(names = "--dry-run", description = "Do not contact the cluster (needs --kustomization-file; substituteFrom is skipped).")
    boolean dryRun;

    @Override
    public Integer call() {
        if (dryRun && !local.fromFile()) {
            throw new CliException("--dry-run needs --kustomization-file, since the Kustomization cannot be read from the cluster", ExitCodes.USAGE);
        }
        KubernetesClient client = dryRun ? null : kube.client();
        List<GenericKubernetesResource> objects = local.build(local.load(client, kube.namespace()), client);
        print(LocalBuild.render(objects));
        return 0;
    }
}
