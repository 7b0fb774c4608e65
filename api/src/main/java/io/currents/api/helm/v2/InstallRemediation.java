package io.currents.api.helm.v2;

import com.fasterxml.jackson.annotation.JsonInclude;

/** What to do when an install fails. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InstallRemediation {

    private Integer retries;

    private Boolean ignoreTestFailures;

    private Boolean remediateLastFailure;

    public Integer getRetries() {
        return retries;
    }

    public void setRetries(Integer retries) {
        this.retries = retries;
    }

    public Boolean getIgnoreTestFailures() {
        return ignoreTestFailures;
    }

    public void setIgnoreTestFailures(Boolean ignoreTestFailures) {
        this.ignoreTestFailures = ignoreTestFailures;
    }

    public Boolean getRemediateLastFailure() {
        return remediateLastFailure;
    }

    public void setRemediateLastFailure(Boolean remediateLastFailure) {
        this.remediateLastFailure = remediateLastFailure;
    }
}
