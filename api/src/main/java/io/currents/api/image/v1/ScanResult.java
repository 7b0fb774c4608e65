package io.currents.api.image.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.DateTime;
import io.fabric8.generator.annotation.Required;

import java.util.List;

/** Summary of the last tag scan. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ScanResult {

    private String revision;

    @Required
    private Integer tagCount;

    @DateTime
    private String scanTime;

    private List<String> latestTags;

    public String getRevision() {
        return revision;
    }

    public void setRevision(String revision) {
        this.revision = revision;
    }

    public Integer getTagCount() {
        return tagCount;
    }

    public void setTagCount(Integer tagCount) {
        this.tagCount = tagCount;
    }

    public String getScanTime() {
        return scanTime;
    }

    public void setScanTime(String scanTime) {
        this.scanTime = scanTime;
    }

    public List<String> getLatestTags() {
        return latestTags;
    }

    public void setLatestTags(List<String> latestTags) {
        this.latestTags = latestTags;
    }
}
