package io.currents.api.kustomize.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.LocalObjectReference;
import io.currents.api.meta.OneOf;
import io.fabric8.generator.annotation.Required;

/** How to decrypt SOPS-encrypted manifests before applying them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Decryption {

    @Required
    @OneOf({"sops"})
    private String provider;

    private String serviceAccountName;

    private LocalObjectReference secretRef;

    public String getProvider() {
        return provider;
    }

    public void setProvider(String provider) {
        this.provider = provider;
    }

    public String getServiceAccountName() {
        return serviceAccountName;
    }

    public void setServiceAccountName(String serviceAccountName) {
        this.serviceAccountName = serviceAccountName;
    }

    public LocalObjectReference getSecretRef() {
        return secretRef;
    }

    public void setSecretRef(LocalObjectReference secretRef) {
        this.secretRef = secretRef;
    }
}
