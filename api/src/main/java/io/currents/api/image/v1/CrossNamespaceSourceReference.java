package io.currents.api.image.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.OneOf;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;

/** The GitRepository an automation writes to, in any namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CrossNamespaceSourceReference {

    private String apiVersion;

    @Required
    @Default("GitRepository")
    @OneOf({"GitRepository"})
    private String kind;

    @Required
    private String name;

    private String namespace;

    public String getApiVersion() {
        return apiVersion;
    }

    public void setApiVersion(String apiVersion) {
        this.apiVersion = apiVersion;
    }

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getNamespace() {
        return namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }
}
