package io.currents.api.helm.v2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A Helm test to run or to exclude. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Filter {

    @Required
    @Size(min = 1, max = 253)
    private String name;

    private Boolean exclude;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public Boolean getExclude() {
        return exclude;
    }

    public void setExclude(Boolean exclude) {
        this.exclude = exclude;
    }
}
