package io.currents.api.source.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.Artifact;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.List;

/** Observed state of an ExternalArtifact, written by the controller that produced it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ExternalArtifactStatus {

    private Artifact artifact;

    private List<Condition> conditions;

    public Artifact getArtifact() {
        return artifact;
    }

    public void setArtifact(Artifact artifact) {
        this.artifact = artifact;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }
}
