package io.currents.api.kustomize.v1;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/** Variable substitution applied to the built manifests. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PostBuild {

    private Map<String, String> substitute;

    private List<SubstituteReference> substituteFrom;

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
}
