package io.currents.api.image.v1;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/** Where commits are pushed: a branch, a refspec and push options. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PushSpec {

    private String branch;

    private String refspec;

    private Map<String, String> options;

    public String getBranch() {
        return branch;
    }

    public void setBranch(String branch) {
        this.branch = branch;
    }

    public String getRefspec() {
        return refspec;
    }

    public void setRefspec(String refspec) {
        this.refspec = refspec;
    }

    public Map<String, String> getOptions() {
        return options;
    }

    public void setOptions(Map<String, String> options) {
        this.options = options;
    }
}
