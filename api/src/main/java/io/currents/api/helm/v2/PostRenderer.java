package io.currents.api.helm.v2;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A post-renderer applied to the rendered chart manifests. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PostRenderer {

    private Kustomize kustomize;

    public Kustomize getKustomize() {
        return kustomize;
    }

    public void setKustomize(Kustomize kustomize) {
        this.kustomize = kustomize;
    }
}
