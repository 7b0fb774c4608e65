package io.currents.api.image.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.LocalObjectReference;
import io.currents.api.meta.OneOf;
import io.fabric8.generator.annotation.Required;

/** The Secret with an OpenPGP or SSH key used to sign commits. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SigningKey {

    @Required
    private LocalObjectReference secretRef;

    @OneOf({"gpg", "ssh"})
    private String type;

    public LocalObjectReference getSecretRef() {
        return secretRef;
    }

    public void setSecretRef(LocalObjectReference secretRef) {
        this.secretRef = secretRef;
    }

    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }
}
