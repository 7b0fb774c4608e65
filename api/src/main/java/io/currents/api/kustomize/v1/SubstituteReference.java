package io.currents.api.kustomize.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.OneOf;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A ConfigMap or Secret whose data keys are substitution variables. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SubstituteReference {

    @Required
    @OneOf({"Secret", "ConfigMap"})
    private String kind;

    @Required
    @Size(min = 1, max = 253)
    private String name;

    @Default("false")
    private Boolean optional;

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public Boolean getOptional() {
        return optional;
    }

    public void setOptional(Boolean optional) {
        this.optional = optional;
    }
}
