package io.currents.api.notification.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** A CEL expression over the token claims that must be true, and the message returned when it is not. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OIDCValidation {

    @Required
    private String expression;

    @Required
    private String message;

    public String getExpression() {
        return expression;
    }

    public void setExpression(String expression) {
        this.expression = expression;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }
}
