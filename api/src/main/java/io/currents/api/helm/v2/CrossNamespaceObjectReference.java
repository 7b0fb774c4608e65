package io.currents.api.helm.v2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.OneOf;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** The source of a chart template: a HelmRepository, GitRepository or Bucket in any namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CrossNamespaceObjectReference {

    private String apiVersion;

    @Required
    @OneOf({"HelmRepository", "GitRepository", "Bucket"})
    private String kind;

    @Required
    @Size(min = 1, max = 253)
    private String name;

    @Size(min = 1, max = 63)
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
