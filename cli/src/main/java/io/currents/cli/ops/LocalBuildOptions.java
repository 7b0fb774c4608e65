package io.currents.cli.ops;

import io.currents.api.kustomize.v1.Kustomization;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;

/** The arguments {@code build kustomization} and {@code diff kustomization} share: which Kustomization, built from which local directory. */
public final class LocalBuildOptions {

    @Parameters(index = "0", paramLabel = "<name>", description = "Name of the Kustomization.")
    String name;

    @Option(names = "--path", required = true, description = "Local directory standing for the Kustomization's spec.path.")
    Path path;

    @Option(names = "--kustomization-file", description = "Read the Kustomization from this YAML file instead of the cluster.")
    Path kustomizationFile;

    /** Whether the Kustomization comes from a file rather than the cluster. */
    boolean fromFile() {
        return kustomizationFile != null;
    }

    /** The Kustomization, read from --kustomization-file or else from the cluster (a null client: the file only). */
    Kustomization load(KubernetesClient client, String namespace) {
        return LocalBuild.load(client, namespace, name, kustomizationFile);
    }

    /** The objects the controller would apply for the Kustomization if its source held --path; a null client stays offline. */
    List<GenericKubernetesResource> build(Kustomization k, KubernetesClient client) {
        return LocalBuild.build(k, path, client);
    }
}
