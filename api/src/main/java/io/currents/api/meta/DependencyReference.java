package io.currents.api.meta;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** A dependency on another object that must be ready first; a Kustomization or HelmRelease unless kind says otherwise. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DependencyReference {

    private String apiVersion;

    private String kind;

    @Required
    private String name;

    private String namespace;

    private Boolean ready;

    private String readyExpr;

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

    public Boolean getReady() {
        return ready;
    }

    public void setReady(Boolean ready) {
        this.ready = ready;
    }

    public String getReadyExpr() {
        return readyExpr;
    }

    public void setReadyExpr(String readyExpr) {
        this.readyExpr = readyExpr;
    }
}
