package io.currents.api.notification.v1beta3;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.LocalObjectReference;
import io.currents.api.meta.OneOf;
import io.currents.api.notification.v1.CrossNamespaceObjectReference;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

import java.util.List;
import java.util.Map;

/** An alerting rule: which events, from which objects, go to which Provider. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AlertSpec {

    @Required
    private LocalObjectReference providerRef;

    @Default("info")
    @OneOf({"info", "error"})
    private String eventSeverity;

    @Required
    private List<CrossNamespaceObjectReference> eventSources;

    private List<String> inclusionList;

    private Map<String, String> eventMetadata;

    private List<String> exclusionList;

    @Size(max = 255)
    private String summary;

    private Boolean suspend;

    public LocalObjectReference getProviderRef() {
        return providerRef;
    }

    public void setProviderRef(LocalObjectReference providerRef) {
        this.providerRef = providerRef;
    }

    public String getEventSeverity() {
        return eventSeverity;
    }

    public void setEventSeverity(String eventSeverity) {
        this.eventSeverity = eventSeverity;
    }

    public List<CrossNamespaceObjectReference> getEventSources() {
        return eventSources;
    }

    public void setEventSources(List<CrossNamespaceObjectReference> eventSources) {
        this.eventSources = eventSources;
    }

    public List<String> getInclusionList() {
        return inclusionList;
    }

    public void setInclusionList(List<String> inclusionList) {
        this.inclusionList = inclusionList;
    }

    public Map<String, String> getEventMetadata() {
        return eventMetadata;
    }

    public void setEventMetadata(Map<String, String> eventMetadata) {
        this.eventMetadata = eventMetadata;
    }

    public List<String> getExclusionList() {
        return exclusionList;
    }

    public void setExclusionList(List<String> exclusionList) {
        this.exclusionList = exclusionList;
    }

    public String getSummary() {
        return summary;
    }

    public void setSummary(String summary) {
        this.summary = summary;
    }

    public Boolean getSuspend() {
        return suspend;
    }

    public void setSuspend(Boolean suspend) {
        this.suspend = suspend;
    }
}
