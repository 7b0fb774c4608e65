package io.currents.api.source.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.OneOf;
import io.fabric8.generator.annotation.Required;

/** The source in the same namespace a HelmChart is taken from. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LocalHelmChartSourceReference {

    private String apiVersion;

    @Required
    @OneOf({"HelmRepository", "GitRepository", "Bucket"})
    private String kind;

    @Required
    private String name;

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
}
