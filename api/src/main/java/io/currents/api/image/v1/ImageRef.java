package io.currents.api.image.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** An image name with tag and optional digest. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImageRef {

    @Required
    private String name;

    @Required
    private String tag;

    private String digest;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getTag() {
        return tag;
    }

    public void setTag(String tag) {
        this.tag = tag;
    }

    public String getDigest() {
        return digest;
    }

    public void setDigest(String digest) {
        this.digest = digest;
    }

    /** The reference as {@code name:tag} or {@code name:tag@digest}. */
    @Override
    public String toString() {
        return digest == null || digest.isEmpty() ? name + ":" + tag : name + ":" + tag + "@" + digest;
    }
}
