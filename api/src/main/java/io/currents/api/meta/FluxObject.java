package io.currents.api.meta;

import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Implemented by every Flux kind: accepts Flux's finalizer {@code finalizers.fluxcd.io}, which has
 * no path segment and which fabric8's default finalizer check (domain/name) would refuse.
 * Declared with a plain bean deserializer: Jackson would otherwise take HasMetadata's polymorphic
 * deserializer through this interface, ahead of CustomResource's own setting.
 */
@JsonDeserialize(using = JsonDeserializer.None.class)
public interface FluxObject extends HasMetadata {

    @Override
    default boolean isFinalizerValid(String finalizer) {
        return FluxMeta.FINALIZER.equals(finalizer) || HasMetadata.super.isFinalizerValid(finalizer);
    }
}
