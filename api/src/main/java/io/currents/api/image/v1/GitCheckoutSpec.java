package io.currents.api.image.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.source.v1.GitRepositoryRef;
import io.fabric8.generator.annotation.Required;

/** The reference to check out before making changes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GitCheckoutSpec {

    @Required
    private GitRepositoryRef ref;

    public GitRepositoryRef getRef() {
        return ref;
    }

    public void setRef(GitRepositoryRef ref) {
        this.ref = ref;
    }
}
