package io.currents.api.image.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** Picks the highest tag within a semver range. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SemVerPolicy {

    @Required
    private String range;

    public String getRange() {
        return range;
    }

    public void setRange(String range) {
        this.range = range;
    }
}
