package io.currents.cli.plan;

import io.currents.api.kustomize.v1.Kustomization;
import io.currents.api.kustomize.v1.KustomizationSpec;
import io.currents.cli.ops.FluxObjects;
import io.currents.cli.ops.LocalBuild;
import io.currents.cli.output.CliException;
import io.currents.runtime.apply.Unstructured;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders the whole graph of one checked-out revision as the controllers would apply it: the {@code --path}
 * directory as the bootstrap Kustomization, then every Flux Kustomization found among the objects whose source is
 * this repository (built at its {@code spec.path} with its own spec), recursively, then every HelmRelease found.
 */
final class GraphRenderer {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private final Set<String> ownSources;
    private final KubernetesClient cluster;
    private final HelmReleaseRenderer helm;

    /**
     * @param ownSources the names of the GitRepository standing for this repository
     * @param cluster    where substituteFrom and valuesFrom are read; null offline (they are then listed as not read)
     */
    GraphRenderer(Set<String> ownSources, KubernetesClient cluster, HelmReleaseRenderer helm) {
        this.ownSources = ownSources;
        this.cluster = cluster;
        this.helm = helm;
    }

    Graph render(RevisionCheckout checkout, String path) {
        Graph graph = new Graph(checkout.revision());
        Path root = checkout.dir();
        Kustomization bootstrap = bootstrap(root, path);
        Set<Graph.Applier> seen = new HashSet<>();
        List<Kustomization> level = List.of(bootstrap);
        seen.add(applier(bootstrap));
        // one level of the graph at a time, its builds in parallel (they share nothing but the read-only checkout)
        while (!level.isEmpty()) {
            List<Object> built = level.parallelStream().map(k -> {
                try {
                    return (Object) build(root, k);
                } catch (CliException e) {
                    return e;
                }
            }).toList();
            List<Kustomization> next = new ArrayList<>();
            for (int i = 0; i < level.size(); i++) {
                Kustomization k = level.get(i);
                Graph.Applier applier = applier(k);
                if (built.get(i) instanceof CliException e) {
                    graph.failures.add(new Graph.Failure(applier, e.getMessage().replace(root.toString(), "")));
                    continue;
                }
                @SuppressWarnings("unchecked")
                List<GenericKubernetesResource> objects = (List<GenericKubernetesResource>) built.get(i);
                String kPath = k.getSpec().getPath() == null ? "./" : k.getSpec().getPath();
                var postBuild = k.getSpec().getPostBuild();
                if (cluster == null && postBuild != null && postBuild.getSubstituteFrom() != null && !postBuild.getSubstituteFrom().isEmpty()) {
                    graph.partial.add(new Graph.NotPlanned(applier, "postBuild.substituteFrom is read from the cluster, so its variables"
                            + " stayed unsubstituted (or took their ${var:=default}); run with --against-cluster to read them"));
                }
                graph.groups.put(applier, new Graph.Group(applier, "path " + kPath, Boolean.TRUE.equals(k.getSpec().getPrune()), objects));
                for (GenericKubernetesResource o : objects) {
                    if (!isKustomization(o)) {
                        continue;
                    }
                    Kustomization child = SERIALIZATION.unmarshal(SERIALIZATION.asJson(Unstructured.toMap(o)), Kustomization.class);
                    if (child.getMetadata().getNamespace() == null) {
                        child.getMetadata().setNamespace(k.getMetadata().getNamespace());
                    }
                    Graph.Applier childApplier = applier(child);
                    if (!seen.add(childApplier)) {
                        continue;
                    }
                    String notOwn = notThisRepository(child);
                    if (notOwn != null) {
                        graph.notPlanned.add(new Graph.NotPlanned(childApplier, notOwn));
                    } else {
                        next.add(child);
                    }
                }
            }
            level = next;
        }
        helm.renderAll(graph, root);
        return graph;
    }

    /**
     * The Kustomization that applies {@code --path}: the one bootstrap wrote into that path (a Kustomization of this
     * repository whose spec.path is {@code --path}), or else one named after the source with Flux's bootstrap spec.
     */
    private Kustomization bootstrap(Path root, String path) {
        Kustomization k = new Kustomization();
        String name = ownSources.iterator().next();
        k.setMetadata(new ObjectMeta());
        k.getMetadata().setName(name);
        k.getMetadata().setNamespace(name);
        KustomizationSpec spec = new KustomizationSpec();
        spec.setPath(path);
        spec.setPrune(true);
        k.setSpec(spec);
        List<GenericKubernetesResource> first;
        try {
            first = build(root, k);
        } catch (CliException e) {
            return k;
        }
        String wanted = normalize(path);
        for (GenericKubernetesResource o : first) {
            if (isKustomization(o)) {
                Kustomization found = SERIALIZATION.unmarshal(SERIALIZATION.asJson(Unstructured.toMap(o)), Kustomization.class);
                if (notThisRepository(found) == null && found.getSpec() != null && wanted.equals(normalize(found.getSpec().getPath()))) {
                    if (found.getMetadata().getNamespace() == null) {
                        found.getMetadata().setNamespace(name);
                    }
                    return found;
                }
            }
        }
        return k;
    }

    private List<GenericKubernetesResource> build(Path root, Kustomization k) {
        String path = normalize(k.getSpec().getPath());
        Path dir = root.resolve(path).normalize();
        if (!dir.startsWith(root)) {
            throw new CliException("spec.path '" + k.getSpec().getPath() + "' leaves the repository");
        }
        if (!Files.isDirectory(dir)) {
            throw new CliException("kustomization path not found: '" + k.getSpec().getPath() + "' is not a directory of the repository");
        }
        return LocalBuild.build(k, dir, cluster);
    }

    /** Null when the Kustomization's source is this repository, else why it is not planned. */
    private String notThisRepository(Kustomization k) {
        var ref = k.getSpec() == null ? null : k.getSpec().getSourceRef();
        if (ref == null) {
            return "it has no spec.sourceRef";
        }
        if ("GitRepository".equals(ref.getKind()) && ownSources.contains(ref.getName())) {
            return null;
        }
        return "its source " + ref.getKind() + " " + (ref.getNamespace() == null ? k.getMetadata().getNamespace() : ref.getNamespace())
                + "/" + ref.getName() + " is not this repository (pass --source-name if it is)";
    }

    static boolean isKustomization(GenericKubernetesResource o) {
        return "Kustomization".equals(o.getKind()) && o.getApiVersion() != null && o.getApiVersion().startsWith("kustomize.toolkit.fluxcd.io/");
    }

    static String normalize(String path) {
        String p = path == null ? "" : path.trim();
        while (p.startsWith("./")) {
            p = p.substring(2);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.equals(".") ? "" : p;
    }

    private static Graph.Applier applier(Kustomization k) {
        return new Graph.Applier("Kustomization", k.getMetadata().getNamespace(), k.getMetadata().getName());
    }

    static Map<String, Object> map(GenericKubernetesResource o) {
        return FluxObjects.map(Unstructured.toMap(o));
    }
}
