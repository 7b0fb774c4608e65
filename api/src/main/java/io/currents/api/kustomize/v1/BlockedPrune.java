package io.currents.api.kustomize.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.ResourceRef;

import java.util.List;

/**
 * Currents extension ({@code status.blockedPrune}): the prune the deletion guard refused, so that a person can
 * see what would have been deleted and approve it for this revision with {@code currents approve prune}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BlockedPrune {

    private String revision;

    private String message;

    private List<ResourceRef> entries;

    public String getRevision() {
        return revision;
    }

    public void setRevision(String revision) {
        this.revision = revision;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public List<ResourceRef> getEntries() {
        return entries;
    }

    public void setEntries(List<ResourceRef> entries) {
        this.entries = entries;
    }
}
