package io.currents.api.source.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.LocalObjectReference;
import io.fabric8.generator.annotation.Required;

/** Another GitRepository whose artifact is copied into this one's, from a path to a path. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GitRepositoryInclude {

    @Required
    private LocalObjectReference repository;

    private String fromPath;

    private String toPath;

    public LocalObjectReference getRepository() {
        return repository;
    }

    public void setRepository(LocalObjectReference repository) {
        this.repository = repository;
    }

    public String getFromPath() {
        return fromPath;
    }

    public void setFromPath(String fromPath) {
        this.fromPath = fromPath;
    }

    public String getToPath() {
        return toPath;
    }

    public void setToPath(String toPath) {
        this.toPath = toPath;
    }
}
