package io.currents.api.image.v1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A regular expression tags must match, and the capture group to compare. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TagFilter {

    private String pattern;

    private String extract;

    public String getPattern() {
        return pattern;
    }

    public void setPattern(String pattern) {
        this.pattern = pattern;
    }

    public String getExtract() {
        return extract;
    }

    public void setExtract(String extract) {
        this.extract = extract;
    }
}
