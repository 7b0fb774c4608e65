package io.currents.api.source.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.LocalObjectReference;

/** Signature verification of an OCI artifact with cosign or notation; adds a trusted root to what charts accept. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OCIRepositoryVerification extends HelmChartVerification {

    private LocalObjectReference trustedRootSecretRef;

    public LocalObjectReference getTrustedRootSecretRef() {
        return trustedRootSecretRef;
    }

    public void setTrustedRootSecretRef(LocalObjectReference trustedRootSecretRef) {
        this.trustedRootSecretRef = trustedRootSecretRef;
    }
}
