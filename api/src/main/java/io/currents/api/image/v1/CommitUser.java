package io.currents.api.image.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** Name and email of a commit author. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CommitUser {

    private String name;

    @Required
    private String email;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getEmail() {
        return email;
    }

    public void setEmail(String email) {
        this.email = email;
    }
}
