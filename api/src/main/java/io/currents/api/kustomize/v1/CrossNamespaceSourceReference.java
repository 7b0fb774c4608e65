package io.currents.api.kustomize.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.OneOf;
import io.fabric8.generator.annotation.Required;

/** The source a Kustomization builds from, in any namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CrossNamespaceSourceReference {

    private String apiVersion;

    @Required
    @OneOf({"OCIRepository", "GitRepository", "Bucket", "ExternalArtifact"})
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
