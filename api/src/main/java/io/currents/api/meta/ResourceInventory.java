package io.currents.api.meta;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

import java.util.List;

/** The objects applied by a Kustomization or HelmRelease, one reference per object. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResourceInventory {

    @Required
    private List<ResourceRef> entries;

    public List<ResourceRef> getEntries() {
        return entries;
    }

    public void setEntries(List<ResourceRef> entries) {
        this.entries = entries;
    }
}
