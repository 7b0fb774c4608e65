package io.currents.api.meta;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.ValidationRule;

/** Where to find the kubeconfig (Secret) or the workload-identity settings (ConfigMap) for a remote cluster. */
@ValidationRule(value = "has(self.configMapRef) || has(self.secretRef)",
        message = "exactly one of spec.kubeConfig.configMapRef or spec.kubeConfig.secretRef must be specified")
@ValidationRule(value = "!has(self.configMapRef) || !has(self.secretRef)",
        message = "exactly one of spec.kubeConfig.configMapRef or spec.kubeConfig.secretRef must be specified")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KubeConfigReference {

    private LocalObjectReference configMapRef;

    private SecretKeyReference secretRef;

    public LocalObjectReference getConfigMapRef() {
        return configMapRef;
    }

    public void setConfigMapRef(LocalObjectReference configMapRef) {
        this.configMapRef = configMapRef;
    }

    public SecretKeyReference getSecretRef() {
        return secretRef;
    }

    public void setSecretRef(SecretKeyReference secretRef) {
        this.secretRef = secretRef;
    }
}
