package io.currents.api.helm.v2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.LocalObjectReference;
import io.currents.api.meta.OneOf;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;

/** Signature verification of an OCI chart. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HelmChartTemplateVerification {

    @Required
    @Default("cosign")
    @OneOf({"cosign", "notation"})
    private String provider;

    private LocalObjectReference secretRef;

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
}
