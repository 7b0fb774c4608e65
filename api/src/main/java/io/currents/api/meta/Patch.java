package io.currents.api.meta;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** An inline strategic-merge or JSON 6902 patch and the objects it targets. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Patch {

    @Required
    private String patch;

    private Selector target;

    public String getPatch() {
        return patch;
    }

    public void setPatch(String patch) {
        this.patch = patch;
    }

    public Selector getTarget() {
        return target;
    }

    public void setTarget(Selector target) {
        this.target = target;
    }
}
