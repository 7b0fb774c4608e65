package io.currents.api.meta;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** A reference to a Secret in the same namespace, and optionally to one of its keys. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretKeyReference {

    @Required
    private String name;

    private String key;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getKey() {
        return key;
    }

    public void setKey(String key) {
        this.key = key;
    }
}
