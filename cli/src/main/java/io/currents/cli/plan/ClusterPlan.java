package io.currents.cli.plan;

import io.currents.api.kustomize.v1.Kustomization;
import io.currents.cli.ops.DiffCommand;
import io.currents.runtime.apply.ApplyOptions;
import io.currents.runtime.apply.Inventory;
import io.currents.runtime.apply.ObjectRef;
import io.currents.runtime.apply.Owner;
import io.currents.runtime.apply.ServerSideApplier;
import io.currents.runtime.apply.Unstructured;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code plan --against-cluster}: the head graph compared with what is live. Each object is dry-run applied with
 * the controller's field manager (as {@code diff kustomization} does), so only fields the apply would change show;
 * an object that exists but is not labelled as its applier's is adopted; objects in a Kustomization's live
 * inventory that the head no longer applies are pruned (when it prunes and owns them).
 */
final class ClusterPlan {

    private ClusterPlan() {
    }

    static Plan between(String path, Graph head, KubernetesClient client) {
        Plan plan = new Plan(path, "cluster", head.revision);
        ServerSideApplier applier = new ServerSideApplier(client, DiffCommand.FIELD_MANAGER);
        ApplyOptions options = ApplyOptions.kustomizeController(DiffCommand.FIELD_MANAGER);
        Set<ObjectRef> applied = new HashSet<>();
        head.groups.values().forEach(g -> g.objects().forEach(o -> applied.add(ObjectRef.of(o))));
        Set<String> newNamespaces = new HashSet<>();
        for (Graph.Group group : head.groups.values()) {
            Owner owner = "HelmRelease".equals(group.applier().kind()) ? Owner.helmRelease(group.applier().name(), group.applier().namespace())
                    : Owner.kustomization(group.applier().name(), group.applier().namespace());
            for (GenericKubernetesResource o : group.objects()) {
                ObjectRef ref = ObjectRef.of(o);
                if ("Namespace".equals(o.getKind()) && client.namespaces().withName(ref.name()).get() == null) {
                    newNamespaces.add(ref.name());
                }
                if (!ref.namespace().isEmpty() && newNamespaces.contains(ref.namespace())) {
                    plan.changes.add(Plan.change(Plan.Action.CREATE, group.applier(), o, Plan.unified("", Plan.shown(o))));
                    continue;
                }
                ServerSideApplier.DryRun result = applier.dryRun(o, options);
                switch (result.action()) {
                    case CREATED -> plan.changes.add(Plan.change(Plan.Action.CREATE, group.applier(), o, Plan.unified("", Plan.shown(o))));
                    case CONFIGURED -> {
                        String diff = Plan.unified(Plan.shown(comparable(result.live())), Plan.shown(comparable(result.merged())));
                        if (!owner.owns(result.live())) {
                            diff = "adopted: the live object is not labelled as applied by " + group.applier().title() + "\n" + diff;
                        }
                        plan.changes.add(Plan.change(Plan.Action.UPDATE, group.applier(), o, diff));
                    }
                    default -> plan.unchanged++;
                }
            }
            if (!"Kustomization".equals(group.applier().kind())) {
                continue;
            }
            Kustomization live = client.resources(Kustomization.class).inNamespace(group.applier().namespace())
                    .withName(group.applier().name()).get();
            if (live == null || live.getStatus() == null || live.getStatus().getInventory() == null) {
                continue;
            }
            for (Inventory.Entry entry : Inventory.from(live.getStatus().getInventory()).entries()) {
                if (applied.contains(entry.ref())) {
                    continue;
                }
                GenericKubernetesResource object = DiffCommand.live(client, entry);
                if (object == null || !owner.owns(object)) {
                    continue;
                }
                Map<String, String> annotations = object.getMetadata().getAnnotations();
                boolean disabled = annotations != null && "Disabled".equals(annotations.get("kustomize.toolkit.fluxcd.io/prune"));
                boolean prune = group.prune() && !disabled;
                plan.changes.add(Plan.change(prune ? Plan.Action.DELETE : Plan.Action.ORPHAN, group.applier(), object,
                        prune ? Plan.unified(Plan.shown(comparable(object)), "") : ""));
            }
        }
        head.notPlanned.forEach(plan.notPlanned::add);
        head.partial.forEach(plan.partial::add);
        head.failures.forEach(f -> plan.errors.add(f.applier().title() + " at head " + head.revision + ": " + f.message()));
        return plan;
    }

    private static GenericKubernetesResource comparable(GenericKubernetesResource object) {
        return Unstructured.fromMap(DiffCommand.comparable(object));
    }
}
