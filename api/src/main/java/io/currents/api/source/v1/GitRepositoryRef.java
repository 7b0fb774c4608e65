package io.currents.api.source.v1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The Git reference to check out; commit wins over name, semver, tag and branch in that order. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GitRepositoryRef {

    private String branch;

    private String tag;

    private String semver;

    private String name;

    private String commit;

    public String getBranch() {
        return branch;
    }

    public void setBranch(String branch) {
        this.branch = branch;
    }

    public String getTag() {
        return tag;
    }

    public void setTag(String tag) {
        this.tag = tag;
    }

    public String getSemver() {
        return semver;
    }

    public void setSemver(String semver) {
        this.semver = semver;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getCommit() {
        return commit;
    }

    public void setCommit(String commit) {
        this.commit = commit;
    }
}
