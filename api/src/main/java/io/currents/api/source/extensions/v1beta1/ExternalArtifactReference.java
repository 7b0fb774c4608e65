package io.currents.api.source.extensions.v1beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** An ExternalArtifact an ArtifactGenerator produced, with the digest and file name of its stored archive. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ExternalArtifactReference {

    @Required
    private String name;

    @Required
    private String namespace;

    @Required
    private String digest;

    @Required
    private String filename;

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

    public String getDigest() {
        return digest;
    }

    public void setDigest(String digest) {
        this.digest = digest;
    }

    public String getFilename() {
        return filename;
    }

    public void setFilename(String filename) {
        this.filename = filename;
    }
}
