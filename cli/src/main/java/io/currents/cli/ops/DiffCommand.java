package io.currents.cli.ops;

import io.currents.api.kustomize.v1.Kustomization;
import io.currents.cli.output.CliException;
import io.currents.cli.output.Errors;
import io.currents.cli.output.ExitCodes;
import io.currents.cli.output.Progress;
import io.currents.runtime.apply.ApplyException;
import io.currents.runtime.apply.ApplyOptions;
import io.currents.runtime.apply.Inventory;
import io.currents.runtime.apply.ObjectRef;
import io.currents.runtime.apply.Owner;
import io.currents.runtime.apply.ServerSideApplier;
import io.currents.runtime.apply.Unstructured;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code currents diff kustomization <name> --path <dir>}: builds the directory as the controller would, dry-runs
 * a server-side apply of each object as kustomize-controller, and prints what would be created, what drifted
 * (with the fields) and, when the Kustomization prunes, what would be deleted. Exit code 1 when anything would
 * change, 0 when nothing would, 2 on error.
 */
@Command(mixinStandardHelpOptions = true)
public final class DiffCommand extends ClusterCommand {

    /** The field manager kustomize-controller applies with. */
    public static final String FIELD_MANAGER = "kustomize-controller";

    @Mixin
    LocalBuildOptions local = new LocalBuildOptions();

    @Option(names = "--progress-bar", arity = "0..1", fallbackValue = "true", defaultValue = "true", paramLabel = "<bool>",
            description = "Show progress while comparing, on a terminal (default: true).")
    boolean progressBar;

    @Override
    public Integer call() {
        try {
            return diff(out(), newProgress()) ? ExitCodes.DRIFT : ExitCodes.OK;
        } catch (CliException e) {
            throw new CliException(e.getMessage(), ExitCodes.DIFF_ERROR, e);
        } catch (ApplyException e) {
            throw new CliException(e.getMessage(), ExitCodes.DIFF_ERROR, e);
        } catch (KubernetesClientException e) {
            throw new CliException(Errors.describe(e), ExitCodes.DIFF_ERROR, e);
        }
    }

    private boolean diff(PrintWriter output, Progress progress) {
        KubernetesClient client = kube.client();
        Kustomization top = local.load(client, kube.namespace());
        List<LocalBuildOptions.Built> builds = local.buildAll(top, client);
        List<GenericKubernetesResource> all = builds.stream().flatMap(b -> b.objects().stream()).toList();
        StringBuilder out = new StringBuilder();
        // flux's progress bar: a spinner while the server dry-runs, on a terminal only, so piped output stays as it was
        boolean changed = progressBar && progress.animated()
                ? progress.waitFor("comparing " + all.size() + " objects with the cluster", () -> compare(client, builds, all, out))
                : compare(client, builds, all, out);
        output.print(out);
        output.flush();
        if (!changed) {
            progress.success("no changes; the cluster matches the local build");
        }
        return changed;
    }

    /** Appends what would change for each Kustomization's objects to {@code out}; whether anything would. */
    private boolean compare(KubernetesClient client, List<LocalBuildOptions.Built> builds, List<GenericKubernetesResource> all,
                            StringBuilder out) {
        ServerSideApplier applier = new ServerSideApplier(client, FIELD_MANAGER);
        ApplyOptions options = ApplyOptions.kustomizeController(FIELD_MANAGER);
        Set<String> newNamespaces = new HashSet<>();
        for (GenericKubernetesResource o : all) {
            if ("Namespace".equals(o.getKind()) && client.namespaces().withName(o.getMetadata().getName()).get() == null) {
                newNamespaces.add(o.getMetadata().getName());
            }
        }
        boolean changed = false;
        for (LocalBuildOptions.Built build : builds) {
            changed |= compare(client, applier, options, newNamespaces, build.kustomization(), build.objects(), out);
        }
        return changed;
    }

    private boolean compare(KubernetesClient client, ServerSideApplier applier, ApplyOptions options, Set<String> newNamespaces,
                            Kustomization k, List<GenericKubernetesResource> objects, StringBuilder out) {
        boolean changed = false;
        for (GenericKubernetesResource object : objects) {
            ObjectRef ref = ObjectRef.of(object);
            if (ref.namespace() != null && newNamespaces.contains(ref.namespace())) {
                // the namespace does not exist yet, so the server cannot dry-run objects inside it
                out.append("► ").append(ref.subject()).append(" created\n");
                changed = true;
                continue;
            }
            ServerSideApplier.DryRun result = applier.dryRun(object, options);
            switch (result.action()) {
                case CREATED -> {
                    out.append("► ").append(result.ref().subject()).append(" created\n");
                    changed = true;
                }
                case CONFIGURED -> {
                    changed = true;
                    out.append("► ").append(result.ref().subject()).append(" drifted\n");
                    List<String> blocks = ObjectDiff.between(comparable(result.live()), comparable(result.merged()),
                            "Secret".equals(object.getKind()));
                    for (String block : blocks) {
                        out.append('\n').append(block);
                    }
                    out.append('\n');
                }
                default -> {
                }
            }
        }
        if (Boolean.TRUE.equals(k.getSpec().getPrune()) && k.getStatus() != null && k.getStatus().getInventory() != null) {
            Inventory previous = Inventory.from(k.getStatus().getInventory());
            Inventory current = Inventory.ofObjects(objects);
            Owner owner = Owner.kustomization(k.getMetadata().getName(), k.getMetadata().getNamespace());
            for (Inventory.Entry gone : previous.diff(current)) {
                GenericKubernetesResource live = live(client, gone);
                if (live != null && owner.owns(live)
                        && !"Disabled".equals(annotation(live, "kustomize.toolkit.fluxcd.io/prune"))) {
                    out.append("► ").append(gone.ref().subject()).append(" deleted\n");
                    changed = true;
                }
            }
        }
        return changed;
    }

    private static String annotation(GenericKubernetesResource object, String key) {
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }

    public static GenericKubernetesResource live(KubernetesClient client, Inventory.Entry entry) {
        ObjectRef ref = entry.ref();
        try {
            var resources = client.genericKubernetesResources(entry.apiVersion(), ref.kind());
            return ref.namespace() == null || ref.namespace().isEmpty()
                    ? resources.withName(ref.name()).get()
                    : resources.inNamespace(ref.namespace()).withName(ref.name()).get();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    /** What a user declares: labels, annotations and everything but the rest of metadata and status. */
    public static Map<String, Object> comparable(GenericKubernetesResource object) {
        Map<String, Object> map = new LinkedHashMap<>(Unstructured.toMap(object));
        map.remove("status");
        Map<String, Object> metadata = FluxObjects.map(map.get("metadata"));
        Map<String, Object> kept = new LinkedHashMap<>();
        if (metadata.get("labels") != null) {
            kept.put("labels", metadata.get("labels"));
        }
        if (metadata.get("annotations") != null) {
            kept.put("annotations", metadata.get("annotations"));
        }
        map.put("metadata", kept);
        return map;
    }

}
