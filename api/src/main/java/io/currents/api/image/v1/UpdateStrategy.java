package io.currents.api.image.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.OneOf;
import io.fabric8.generator.annotation.Default;

/** How files are updated; only the Setters strategy exists. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class UpdateStrategy {

    @Default("Setters")
    @OneOf({"Setters"})
    private String strategy;

    private String path;

    public String getStrategy() {
        return strategy;
    }

    public void setStrategy(String strategy) {
        this.strategy = strategy;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }
}
