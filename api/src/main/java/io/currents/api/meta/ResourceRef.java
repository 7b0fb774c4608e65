package io.currents.api.meta;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Required;

/** One inventory entry: the object id {@code <namespace>_<name>_<group>_<kind>} and its API version. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResourceRef {

    @Required
    private String id;

    @JsonProperty("v")
    @Required
    private String version;

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public String getVersion() {
        return version;
    }

    public void setVersion(String version) {
        this.version = version;
    }

    public ResourceRef() {
    }

    public ResourceRef(String id, String version) {
        this.id = id;
        this.version = version;
    }
}
