package io.currents.api.source.v1;

import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.currents.api.meta.Artifact;
import io.currents.api.meta.FluxObject;

/**
 * A kind whose status carries an artifact other controllers consume (Flux's {@code source.Source}). Declared with
 * a plain bean deserializer for the reason {@link FluxObject} gives.
 */
@JsonDeserialize(using = JsonDeserializer.None.class)
public interface ArtifactSource extends FluxObject {

    /** The last stored artifact, or null while there is none. */
    Artifact getArtifact();
}
