package io.currents.api.notification.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** A named CEL expression over the token claims. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OIDCVariable {

    @Required
    private String name;

    @Required
    private String expression;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getExpression() {
        return expression;
    }

    public void setExpression(String expression) {
        this.expression = expression;
    }
}
