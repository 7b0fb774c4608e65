package io.currents.api.meta;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** A dependency on another object of the same kind that must be ready first, or satisfy a CEL {@code readyExpr}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DependencyReference {

    @Required
    private String name;

    private String namespace;

    private String readyExpr;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getNamespace() {
        return namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    public String getReadyExpr() {
        return readyExpr;
    }

    public void setReadyExpr(String readyExpr) {
        this.readyExpr = readyExpr;
    }
}
