package io.currents.kustomization;

import io.currents.api.helm.v2.HelmRelease;
import io.currents.api.kustomize.v1.Kustomization;
import io.currents.api.meta.DependencyReference;
import io.currents.api.meta.FluxStatus;
import io.currents.runtime.cel.CelException;
import io.currents.runtime.cel.ReadyExpression;
import io.currents.runtime.manifests.Reasons;
import io.currents.runtime.reconcile.DependencyKinds;
import io.currents.runtime.reconcile.ReconcileFailure;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@code spec.dependsOn}: a Kustomization proceeds only when every dependency exists, is Ready for its
 * current generation and, when both are Kustomizations of the same source, has applied the same revision; or, when the
 * reference has a {@code readyExpr}, when that CEL expression over {@code self} and {@code dep} is true. An entry may
 * name a HelmRelease with {@code kind} (a Currents extension). A cycle through this Kustomization is reported instead
 * of being waited on forever.
 */
final class Dependencies {

    private static final String OWN_KIND = DependencyKinds.KUSTOMIZATION;

    private final KubernetesClient client;

    Dependencies(KubernetesClient client) {
        this.client = client;
    }

    void check(Kustomization k, String sourceRevision) throws ReconcileFailure {
        List<DependencyReference> refs = k.getSpec().getDependsOn();
        if (refs == null || refs.isEmpty()) {
            return;
        }
        // Every kind and expression is valid before any dependency is looked at: a typo is a spec error, not something to wait for.
        List<String> kinds = new ArrayList<>();
        List<ReadyExpression> readyExprs = new ArrayList<>();
        for (DependencyReference ref : refs) {
            kinds.add(DependencyKinds.kindOf(ref, OWN_KIND));
            readyExprs.add(compile(ref.getReadyExpr()));
        }
        String cycle = findCycle(k);
        if (cycle != null) {
            throw ReconcileFailure.stalled(Reasons.DEPENDENCY_NOT_READY, "circular dependency detected: " + cycle);
        }
        for (int i = 0; i < refs.size(); i++) {
            DependencyReference ref = refs.get(i);
            String kind = kinds.get(i);
            String namespace = DependencyKinds.namespaceOf(ref, k);
            String name = DependencyKinds.describe(kind, OWN_KIND, namespace, ref.getName());
            CustomResource<?, ? extends FluxStatus> dep = DependencyKinds.get(client, kind, namespace, ref.getName());
            if (dep == null) {
                throw new ReconcileFailure(Reasons.DEPENDENCY_NOT_READY, "dependency " + name + " not found");
            }
            ReadyExpression readyExpr = readyExprs.get(i);
            if (readyExpr != null) {
                boolean ready;
                try {
                    ready = readyExpr.isReady(k, dep);
                } catch (CelException e) {
                    throw new ReconcileFailure(Reasons.DEPENDENCY_NOT_READY, "failed to evaluate dependency " + name + ": " + e.getMessage());
                }
                if (!ready) {
                    throw new ReconcileFailure(Reasons.DEPENDENCY_NOT_READY, "dependency " + name + " is not ready according to readyExpr eval");
                }
                // As Flux without its AdditiveCELDependencyCheck gate: the expression replaces the built-in check.
                continue;
            }
            if (dep.getStatus() == null || dep.getStatus().getConditions() == null || dep.getStatus().getConditions().isEmpty()
                    || !DependencyKinds.isReady(dep)) {
                throw new ReconcileFailure(Reasons.DEPENDENCY_NOT_READY, "dependency " + name + " is not ready");
            }
            if (dep instanceof Kustomization kdep && sameSource(k, kdep) && sourceRevision != null
                    && !sourceRevision.equals(kdep.getStatus().getLastAppliedRevision())) {
                throw new ReconcileFailure(Reasons.DEPENDENCY_NOT_READY, "dependency " + name + " revision is not up to date");
            }
        }
    }

    private static ReadyExpression compile(String readyExpr) throws ReconcileFailure {
        try {
            return ReadyExpression.compile(readyExpr);
        } catch (CelException e) {
            throw ReconcileFailure.stalled(Reasons.INVALID_CEL_EXPRESSION, Reasons.TERMINAL_ERROR_MESSAGE + ": " + e.getMessage());
        }
    }

    private static boolean sameSource(Kustomization a, Kustomization b) {
        var ra = a.getSpec().getSourceRef();
        var rb = b.getSpec().getSourceRef();
        String na = ra.getNamespace() == null || ra.getNamespace().isEmpty() ? a.getMetadata().getNamespace() : ra.getNamespace();
        String nb = rb.getNamespace() == null || rb.getNamespace().isEmpty() ? b.getMetadata().getNamespace() : rb.getNamespace();
        return Objects.equals(ra.getKind(), rb.getKind()) && Objects.equals(ra.getName(), rb.getName()) && na.equals(nb);
    }

    /** The path {@code a -> b -> a} when following dependsOn (through either kind) from {@code start} leads back to it; else null. */
    private String findCycle(Kustomization start) {
        String startKey = key(OWN_KIND, start.getMetadata().getNamespace(), start.getMetadata().getName());
        List<String> path = new ArrayList<>();
        path.add(startKey);
        return walk(start, startKey, path, new HashSet<>());
    }

    private String walk(CustomResource<?, ? extends FluxStatus> current, String startKey, List<String> path, Set<String> seen) {
        List<DependencyReference> refs = current instanceof Kustomization k ? k.getSpec().getDependsOn()
                : current instanceof HelmRelease hr ? hr.getSpec().getDependsOn() : null;
        if (refs == null) {
            return null;
        }
        String currentKind = current instanceof Kustomization ? DependencyKinds.KUSTOMIZATION : DependencyKinds.HELM_RELEASE;
        for (DependencyReference ref : refs) {
            String kind;
            try {
                kind = DependencyKinds.kindOf(ref, currentKind);
            } catch (ReconcileFailure e) {
                continue; // the other object reports its own spec error
            }
            String namespace = DependencyKinds.namespaceOf(ref, current);
            String key = key(kind, namespace, ref.getName());
            if (key.equals(startKey)) {
                return String.join(" -> ", path) + " -> " + key;
            }
            if (!seen.add(key) || path.size() > 64) {
                continue;
            }
            CustomResource<?, ? extends FluxStatus> next = DependencyKinds.get(client, kind, namespace, ref.getName());
            if (next == null) {
                continue;
            }
            path.add(key);
            String found = walk(next, startKey, path, seen);
            if (found != null) {
                return found;
            }
            path.removeLast();
        }
        return null;
    }

    /** Flux's {@code ns/name} for Kustomizations, with {@code (HelmRelease)} after a HelmRelease. */
    private static String key(String kind, String namespace, String name) {
        return namespace + "/" + name + (OWN_KIND.equals(kind) ? "" : " (" + kind + ")");
    }
}
