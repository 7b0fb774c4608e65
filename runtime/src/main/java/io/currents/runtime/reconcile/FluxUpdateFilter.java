package io.currents.runtime.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;

import java.util.Objects;

/**
 * Lets through the updates that should trigger a reconcile as in Flux: a new generation (spec
 * change), changed annotations (reconcile requests), labels, finalizers or deletion, but not our
 * own status writes.
 */
public class FluxUpdateFilter implements OnUpdateFilter<HasMetadata> {

    @Override
    public boolean accept(HasMetadata updated, HasMetadata old) {
        var n = updated.getMetadata();
        var o = old.getMetadata();
        return !Objects.equals(n.getGeneration(), o.getGeneration())
                || !Objects.equals(n.getAnnotations(), o.getAnnotations())
                || !Objects.equals(n.getLabels(), o.getLabels())
                || !Objects.equals(n.getFinalizers(), o.getFinalizers())
                || !Objects.equals(n.getDeletionTimestamp(), o.getDeletionTimestamp());
    }
}
