package io.currents.api.source.v1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The OCI reference to pull: digest wins over semver, semver over tag; latest tag by default. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OCIRepositoryRef {

    private String digest;

    private String semver;

    private String semverFilter;

    private String tag;

    public String getDigest() {
        return digest;
    }

    public void setDigest(String digest) {
        this.digest = digest;
    }

    public String getSemver() {
        return semver;
    }

    public void setSemver(String semver) {
        this.semver = semver;
    }

    public String getSemverFilter() {
        return semverFilter;
    }

    public void setSemverFilter(String semverFilter) {
        this.semverFilter = semverFilter;
    }

    public String getTag() {
        return tag;
    }

    public void setTag(String tag) {
        this.tag = tag;
    }
}
