package io.currents.api.source.extensions.v1beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

import java.util.List;

/** One ExternalArtifact to generate: its name, where its revision comes from, and the copy operations that fill it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OutputArtifact {

    @Required
    @Size(min = 1, max = 253)
    private String name;

    @Size(max = 64)
    @Pattern("^@([a-z0-9]([a-z0-9_-]*[a-z0-9])?)$")
    private String revision;

    @Size(max = 64)
    @Pattern("^@([a-z0-9]([a-z0-9_-]*[a-z0-9])?)$")
    private String originRevision;

    @Required
    @Size(min = 1)
    private List<CopyOperation> copy;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getRevision() {
        return revision;
    }

    public void setRevision(String revision) {
        this.revision = revision;
    }

    public String getOriginRevision() {
        return originRevision;
    }

    public void setOriginRevision(String originRevision) {
        this.originRevision = originRevision;
    }

    public List<CopyOperation> getCopy() {
        return copy;
    }

    public void setCopy(List<CopyOperation> copy) {
        this.copy = copy;
    }
}
