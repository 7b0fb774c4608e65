package io.currents.api.source.extensions.v1beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.OneOf;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** An input source of an ArtifactGenerator, named by the alias its copy operations use ({@code @alias/...}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SourceReference {

    @Required
    @Size(max = 63)
    @Pattern("^[a-z0-9]([a-z0-9_-]*[a-z0-9])?$")
    private String alias;

    @Required
    @Size(max = 253)
    @Pattern("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")
    private String name;

    @Size(min = 1, max = 63)
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    private String namespace;

    @Required
    @OneOf({"Bucket", "GitRepository", "OCIRepository", "HelmChart", "ExternalArtifact"})
    private String kind;

    public String getAlias() {
        return alias;
    }

    public void setAlias(String alias) {
        this.alias = alias;
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

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }
}
