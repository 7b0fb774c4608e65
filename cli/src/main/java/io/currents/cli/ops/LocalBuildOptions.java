package io.currents.cli.ops;

import io.currents.api.kustomize.v1.Kustomization;
import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import io.currents.runtime.artifact.SourceIgnore;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The arguments {@code build kustomization} and {@code diff kustomization} share: which Kustomization, built from which local directory. */
public final class LocalBuildOptions {

    @Parameters(index = "0", paramLabel = "<name>", description = "Name of the Kustomization.")
    String name;

    @Option(names = "--path", required = true, description = "Local directory standing for the Kustomization's spec.path.")
    Path path;

    @Option(names = "--kustomization-file", description = "Read the Kustomization from this YAML file instead of the cluster.")
    Path kustomizationFile;

    @Option(names = "--ignore-paths", split = ",", paramLabel = "<patterns>",
            description = "Leave out the files matching these patterns (.gitignore format, relative to --path).")
    List<String> ignorePaths;

    @Option(names = "--strict-substitute",
            description = "Fail when a variable without a default value is used in the files but is missing from the input vars.")
    boolean strictSubstitute;

    @Option(names = "--in-memory-build",
            description = "Build in memory: read the Git work tree holding --path (or --path itself outside Git) into an in-memory "
                    + "file system instead of writing a copy beside --path.")
    boolean inMemoryBuild;

    @Option(names = {"-r", "--recursive"}, description = "Also build the Kustomizations found in the build, from --local-sources.")
    boolean recursive;

    @Option(names = "--local-sources", split = ",", paramLabel = "<Kind/namespace/name=path>",
            description = "Local directories standing for sources of nested Kustomizations, e.g. GitRepository/flux-system/repo=./repo.")
    Map<String, Path> localSources = new LinkedHashMap<>();

    /** One Kustomization and the objects its build produced ({@code --recursive} yields one per nested Kustomization). */
    record Built(Kustomization kustomization, List<GenericKubernetesResource> objects) {
    }

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
        List<GenericKubernetesResource> all = new ArrayList<>();
        buildAll(k, client).forEach(b -> all.addAll(b.objects()));
        return all;
    }

    /**
     * The build of the Kustomization and, with {@code --recursive}, of every Kustomization found in it (depth first, as
     * flux appends them): each nested one is built from {@code <local source>/<its spec.path>}, as it is on the cluster
     * when it exists there (a null client: as found in the build).
     */
    List<Built> buildAll(Kustomization k, KubernetesClient client) {
        SourceIgnore ignore = ignorePaths == null ? SourceIgnore.none() : SourceIgnore.ofPatterns(String.join("\n", ignorePaths));
        List<Built> result = new ArrayList<>();
        build(k, path, client, ignore, result, new HashSet<>());
        return result;
    }

    private void build(Kustomization k, Path dir, KubernetesClient client, SourceIgnore ignore, List<Built> result, Set<String> seen) {
        seen.add(key(k));
        List<GenericKubernetesResource> objects = LocalBuild.build(k, dir, client, ignore, strictSubstitute, inMemoryBuild);
        result.add(new Built(k, objects));
        if (!recursive) {
            return;
        }
        KubernetesSerialization serialization = new KubernetesSerialization();
        for (GenericKubernetesResource o : objects) {
            if (!"Kustomization".equals(o.getKind()) || o.getApiVersion() == null
                    || !o.getApiVersion().startsWith("kustomize.toolkit.fluxcd.io/")) {
                continue;
            }
            Kustomization nested = serialization.convertValue(o, Kustomization.class);
            if (nested.getMetadata().getNamespace() == null) {
                nested.getMetadata().setNamespace(k.getMetadata().getNamespace());
            }
            if (seen.contains(key(nested))) {
                continue;
            }
            Kustomization live = client == null ? null : client.resources(Kustomization.class)
                    .inNamespace(nested.getMetadata().getNamespace()).withName(nested.getMetadata().getName()).get();
            Kustomization used = live != null ? live : nested;
            build(used, localPath(used), client, ignore, result, seen);
        }
    }

    /** {@code <--local-sources path of its sourceRef>/<spec.path>}, as flux resolves a nested Kustomization. */
    private Path localPath(Kustomization k) {
        var ref = k.getSpec().getSourceRef();
        String source = ref.getKind() + "/" + (ref.getNamespace() == null || ref.getNamespace().isEmpty()
                ? k.getMetadata().getNamespace() : ref.getNamespace()) + "/" + ref.getName();
        Path local = localSources.get(source);
        if (local == null) {
            throw new CliException("cannot get local path for " + source + " of kustomization " + k.getMetadata().getName()
                    + "; pass its local directory with --local-sources " + source + "=<dir>", ExitCodes.USAGE);
        }
        String specPath = k.getSpec().getPath() == null ? "" : k.getSpec().getPath().replaceFirst("^\\./", "").replaceFirst("^/", "");
        Path resolved = local.resolve(specPath).normalize();
        if (!resolved.startsWith(local.normalize())) {
            throw new CliException("spec.path '" + k.getSpec().getPath() + "' of kustomization " + k.getMetadata().getName()
                    + " leaves its source " + source + "; fix the path", ExitCodes.FAILURE);
        }
        return resolved;
    }

    private static String key(Kustomization k) {
        return k.getMetadata().getNamespace() + "/" + k.getMetadata().getName();
    }
}
