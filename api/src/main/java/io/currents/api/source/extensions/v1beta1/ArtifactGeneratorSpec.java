package io.currents.api.source.extensions.v1beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonIgnore;
import io.currents.api.meta.CommonMetadata;
import io.currents.api.meta.FluxSpec;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.List;

/** Desired state of an ArtifactGenerator: the input sources by alias and the artifacts to build from them. */
@ValidationRule(value = "has(self.pathPattern) && size(self.pathPattern) > 0 || self.artifacts.all(a, a.name.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'))",
        message = "artifact names must be valid Kubernetes object names when pathPattern is not set")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ArtifactGeneratorSpec implements FluxSpec {

    private CommonMetadata commonMetadata;

    @Required
    @Size(min = 1, max = 1000)
    private List<SourceReference> sources;

    @Size(max = 1024)
    @Pattern("^@([a-z0-9]([a-z0-9_-]*[a-z0-9])?)/(.*)$")
    private String pathPattern;

    @Required
    @Size(min = 1, max = 1000)
    private List<OutputArtifact> artifacts;

    public CommonMetadata getCommonMetadata() {
        return commonMetadata;
    }

    public void setCommonMetadata(CommonMetadata commonMetadata) {
        this.commonMetadata = commonMetadata;
    }

    public List<SourceReference> getSources() {
        return sources;
    }

    public void setSources(List<SourceReference> sources) {
        this.sources = sources;
    }

    public String getPathPattern() {
        return pathPattern;
    }

    public void setPathPattern(String pathPattern) {
        this.pathPattern = pathPattern;
    }

    public List<OutputArtifact> getArtifacts() {
        return artifacts;
    }

    public void setArtifacts(List<OutputArtifact> artifacts) {
        this.artifacts = artifacts;
    }

    /** Not a field of the kind: a generator is paused by its {@code source.extensions.fluxcd.io/reconcile} annotation. */
    @JsonIgnore
    @Override
    public Boolean getSuspend() {
        return null;
    }

    /** Not a field of the kind: a generator is rebuilt when a source's artifact changes, else at the controller's interval. */
    @JsonIgnore
    @Override
    public String getInterval() {
        return null;
    }
}
