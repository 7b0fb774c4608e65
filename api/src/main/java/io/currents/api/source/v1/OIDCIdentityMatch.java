package io.currents.api.source.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** Regular expressions the issuer and subject of a keyless cosign signature must match. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OIDCIdentityMatch {

    @Required
    private String issuer;

    @Required
    private String subject;

    public String getIssuer() {
        return issuer;
    }

    public void setIssuer(String issuer) {
        this.issuer = issuer;
    }

    public String getSubject() {
        return subject;
    }

    public void setSubject(String subject) {
        this.subject = subject;
    }
}
