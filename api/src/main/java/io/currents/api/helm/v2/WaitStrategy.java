package io.currents.api.helm.v2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.OneOf;
import io.fabric8.generator.annotation.Required;

/** How Helm waits for applied objects to become ready. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WaitStrategy {

    @Required
    @OneOf({"poller", "legacy"})
    private String name;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }
}
