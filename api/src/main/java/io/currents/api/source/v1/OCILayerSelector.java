package io.currents.api.source.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.OneOf;

/** Which layer of an OCI artifact to use and whether to extract or copy it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OCILayerSelector {

    private String mediaType;

    @OneOf({"extract", "copy"})
    private String operation;

    public String getMediaType() {
        return mediaType;
    }

    public void setMediaType(String mediaType) {
        this.mediaType = mediaType;
    }

    public String getOperation() {
        return operation;
    }

    public void setOperation(String operation) {
        this.operation = operation;
    }
}
