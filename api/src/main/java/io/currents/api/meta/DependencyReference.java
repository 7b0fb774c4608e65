package io.currents.api.meta;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/**
 * A dependency on another object that must be ready first, or satisfy a CEL {@code readyExpr}. Flux's shape, of the
 * same kind; {@code kind} and {@code apiVersion} are a Currents extension that name a Kustomization or a HelmRelease.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DependencyReference {

    @Required
    private String name;

    private String namespace;

    private String readyExpr;

    /** Currents extension: {@code Kustomization} or {@code HelmRelease}; empty means the referring object's own kind. */
    private String kind;

    /** Currents extension: the dependency's API version, optional (its group must match the kind's). */
    private String apiVersion;

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

    public String getReadyExpr() {
        return readyExpr;
    }

    public void setReadyExpr(String readyExpr) {
        this.readyExpr = readyExpr;
    }

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public String getApiVersion() {
        return apiVersion;
    }

    public void setApiVersion(String apiVersion) {
        this.apiVersion = apiVersion;
    }
}
