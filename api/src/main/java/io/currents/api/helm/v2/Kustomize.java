package io.currents.api.helm.v2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.Image;
import io.currents.api.meta.Patch;

import java.util.List;

/** A kustomize post-renderer: patches and image overrides. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Kustomize {

    private List<Patch> patches;

    private List<Image> images;

    public List<Patch> getPatches() {
        return patches;
    }

    public void setPatches(List<Patch> patches) {
        this.patches = patches;
    }

    public List<Image> getImages() {
        return images;
    }

    public void setImages(List<Image> images) {
        this.images = images;
    }
}
