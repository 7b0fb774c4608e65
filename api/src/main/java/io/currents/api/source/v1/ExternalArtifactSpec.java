package io.currents.api.source.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.NamespacedObjectKindReference;

/** Desired state of an ExternalArtifact: only which object produced it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ExternalArtifactSpec {

    private NamespacedObjectKindReference sourceRef;

    public NamespacedObjectKindReference getSourceRef() {
        return sourceRef;
    }

    public void setSourceRef(NamespacedObjectKindReference sourceRef) {
        this.sourceRef = sourceRef;
    }
}
