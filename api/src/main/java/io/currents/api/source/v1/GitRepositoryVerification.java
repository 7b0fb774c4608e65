package io.currents.api.source.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.LocalObjectReference;
import io.currents.api.meta.OneOf;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;

/** How to verify Git commit or tag signatures, and the Secret holding the trusted keys. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GitRepositoryVerification {

    @Default("HEAD")
    @OneOf({"head", "HEAD", "Tag", "TagAndHEAD"})
    private String mode;

    @Required
    private LocalObjectReference secretRef;

    public String getMode() {
        return mode;
    }

    public void setMode(String mode) {
        this.mode = mode;
    }

    public LocalObjectReference getSecretRef() {
        return secretRef;
    }

    public void setSecretRef(LocalObjectReference secretRef) {
        this.secretRef = secretRef;
    }
}
