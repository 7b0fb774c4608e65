package io.currents.api.kustomize.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.Selector;
import io.fabric8.generator.annotation.Required;

import java.util.List;

/** JSON pointers to leave out of drift detection, for the selected objects or all of them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IgnoreRule {

    @Required
    private List<String> paths;

    private Selector target;

    public List<String> getPaths() {
        return paths;
    }

    public void setPaths(List<String> paths) {
        this.paths = paths;
    }

    public Selector getTarget() {
        return target;
    }

    public void setTarget(Selector target) {
        this.target = target;
    }
}
