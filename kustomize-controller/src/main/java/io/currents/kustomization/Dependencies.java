package io.currents.kustomization;

import io.currents.api.kustomize.v1.Kustomization;
import io.currents.api.meta.DependencyReference;
import io.currents.runtime.cel.CelException;
import io.currents.runtime.cel.ReadyExpression;
import io.currents.runtime.manifests.Reasons;
import io.currents.runtime.reconcile.Conditions;
import io.currents.runtime.reconcile.Ready;
import io.currents.runtime.reconcile.ReconcileFailure;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * {@code spec.dependsOn}: a Kustomization proceeds only when every dependency exists, is Ready for its
 * current generation and, when both use the same source, has applied the same revision; or, when the reference has
 * a {@code readyExpr}, when that CEL expression over {@code self} and {@code dep} is true. A cycle through
 * this Kustomization is reported instead of being waited on forever.
 */
final class Dependencies {

    private final BiFunction<String, String, Kustomization> lookup;

    /** @param lookup namespace and name to the Kustomization, or null when it does not exist */
    Dependencies(BiFunction<String, String, Kustomization> lookup) {
        this.lookup = lookup;
    }

    void check(Kustomization k, String sourceRevision) throws ReconcileFailure {
        List<DependencyReference> refs = k.getSpec().getDependsOn();
        if (refs == null || refs.isEmpty()) {
            return;
        }
        String cycle = findCycle(k);
        if (cycle != null) {
            throw ReconcileFailure.stalled(Reasons.DEPENDENCY_NOT_READY, "circular dependency detected: " + cycle);
        }
        // Every expression compiles before any is evaluated: a typo is a spec error, not a dependency to wait for.
        List<ReadyExpression> readyExprs = new ArrayList<>();
        for (DependencyReference ref : refs) {
            readyExprs.add(compile(ref.getReadyExpr()));
        }
        for (int i = 0; i < refs.size(); i++) {
            DependencyReference ref = refs.get(i);
            String namespace = namespaceOf(ref, k);
            String name = namespace + "/" + ref.getName();
            Kustomization dep = lookup.apply(namespace, ref.getName());
            if (dep == null) {
                throw new ReconcileFailure(Reasons.DEPENDENCY_NOT_READY, "dependency '" + name + "' not found");
            }
            ReadyExpression readyExpr = readyExprs.get(i);
            if (readyExpr != null) {
                boolean ready;
                try {
                    ready = readyExpr.isReady(k, dep);
                } catch (CelException e) {
                    throw new ReconcileFailure(Reasons.DEPENDENCY_NOT_READY, "failed to evaluate dependency '" + name + "': " + e.getMessage());
                }
                if (!ready) {
                    throw new ReconcileFailure(Reasons.DEPENDENCY_NOT_READY, "dependency '" + name + "' is not ready according to readyExpr eval");
                }
                // As Flux without its AdditiveCELDependencyCheck gate: the expression replaces the built-in check.
                continue;
            }
            var status = dep.getStatus();
            if (status == null || status.getConditions() == null || status.getConditions().isEmpty()
                    || !Objects.equals(dep.getMetadata().getGeneration(), status.getObservedGeneration())
                    || !Conditions.isTrue(status.getConditions(), Conditions.READY)) {
                throw new ReconcileFailure(Reasons.DEPENDENCY_NOT_READY, "dependency '" + name + "' is not ready");
            }
            if (sameSource(k, dep) && sourceRevision != null && !sourceRevision.equals(status.getLastAppliedRevision())) {
                throw new ReconcileFailure(Reasons.DEPENDENCY_NOT_READY, "dependency '" + name + "' revision is not up to date");
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

    private static String namespaceOf(DependencyReference ref, Kustomization k) {
        return ref.getNamespace() == null || ref.getNamespace().isEmpty() ? k.getMetadata().getNamespace() : ref.getNamespace();
    }

    private static boolean sameSource(Kustomization a, Kustomization b) {
        var ra = a.getSpec().getSourceRef();
        var rb = b.getSpec().getSourceRef();
        String na = ra.getNamespace() == null || ra.getNamespace().isEmpty() ? a.getMetadata().getNamespace() : ra.getNamespace();
        String nb = rb.getNamespace() == null || rb.getNamespace().isEmpty() ? b.getMetadata().getNamespace() : rb.getNamespace();
        return Objects.equals(ra.getKind(), rb.getKind()) && Objects.equals(ra.getName(), rb.getName()) && na.equals(nb);
    }

    /** The path {@code a -> b -> a} when following dependsOn from {@code start} leads back to it; else null. */
    private String findCycle(Kustomization start) {
        String startKey = start.getMetadata().getNamespace() + "/" + start.getMetadata().getName();
        List<String> path = new ArrayList<>();
        path.add(startKey);
        return walk(start, startKey, path, new HashSet<>());
    }

    private String walk(Kustomization current, String startKey, List<String> path, Set<String> seen) {
        if (current.getSpec().getDependsOn() == null) {
            return null;
        }
        for (DependencyReference ref : current.getSpec().getDependsOn()) {
            String namespace = namespaceOf(ref, current);
            String key = namespace + "/" + ref.getName();
            if (key.equals(startKey)) {
                return String.join(" -> ", path) + " -> " + key;
            }
            if (!seen.add(key) || path.size() > 64) {
                continue;
            }
            Kustomization next = lookup.apply(namespace, ref.getName());
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
}
