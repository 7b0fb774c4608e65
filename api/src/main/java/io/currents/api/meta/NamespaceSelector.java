package io.currents.api.meta;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/** Selects namespaces by their labels. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NamespaceSelector {

    private Map<String, String> matchLabels;

    public Map<String, String> getMatchLabels() {
        return matchLabels;
    }

    public void setMatchLabels(Map<String, String> matchLabels) {
        this.matchLabels = matchLabels;
    }
}
