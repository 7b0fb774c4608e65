package io.currents.api.source.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.LocalObjectReference;
import io.currents.api.meta.OneOf;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;

import java.util.List;

/** Signature verification of a Helm chart (from an OCI HelmRepository) with cosign or notation. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HelmChartVerification {

    @Required
    @Default("cosign")
    @OneOf({"cosign", "notation"})
    private String provider;

    private LocalObjectReference secretRef;

    private List<OIDCIdentityMatch> matchOIDCIdentity;

    public String getProvider() {
        return provider;
    }

    public void setProvider(String provider) {
        this.provider = provider;
    }

    public LocalObjectReference getSecretRef() {
        return secretRef;
    }

    public void setSecretRef(LocalObjectReference secretRef) {
        this.secretRef = secretRef;
    }

    public List<OIDCIdentityMatch> getMatchOIDCIdentity() {
        return matchOIDCIdentity;
    }

    public void setMatchOIDCIdentity(List<OIDCIdentityMatch> matchOIDCIdentity) {
        this.matchOIDCIdentity = matchOIDCIdentity;
    }
}
