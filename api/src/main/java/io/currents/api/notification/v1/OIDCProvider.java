package io.currents.api.notification.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

import java.util.List;

/** An OIDC issuer whose tokens authenticate a generic-oidc Receiver, and the claims checks they must pass. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OIDCProvider {

    @Required
    @Pattern("^https?://")
    private String issuerURL;

    private String audience;

    private List<OIDCVariable> variables;

    @Required
    @Size(min = 1)
    private List<OIDCValidation> validations;

    public String getIssuerURL() {
        return issuerURL;
    }

    public void setIssuerURL(String issuerURL) {
        this.issuerURL = issuerURL;
    }

    public String getAudience() {
        return audience;
    }

    public void setAudience(String audience) {
        this.audience = audience;
    }

    public List<OIDCVariable> getVariables() {
        return variables;
    }

    public void setVariables(List<OIDCVariable> variables) {
        this.variables = variables;
    }

    public List<OIDCValidation> getValidations() {
        return validations;
    }

    public void setValidations(List<OIDCValidation> validations) {
        this.validations = validations;
    }
}
