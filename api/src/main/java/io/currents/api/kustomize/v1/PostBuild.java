package io.currents.api.kustomize.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.OneOf;

import java.util.List;
import java.util.Map;

/** Variable substitution applied to the built manifests. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PostBuild {

    private Map<String, String> substitute;

    private List<SubstituteReference> substituteFrom;

    @OneOf({"WithVariables", "Always"})
    private String substituteStrategy;

    public Map<String, String> getSubstitute() {
        return substitute;
    }

    public void setSubstitute(Map<String, String> substitute) {
        this.substitute = substitute;
    }

    public List<SubstituteReference> getSubstituteFrom() {
        return substituteFrom;
    }

    public void setSubstituteFrom(List<SubstituteReference> substituteFrom) {
        this.substituteFrom = substituteFrom;
    }

    public String getSubstituteStrategy() {
        return substituteStrategy;
    }

    public void setSubstituteStrategy(String substituteStrategy) {
        this.substituteStrategy = substituteStrategy;
    }
}
