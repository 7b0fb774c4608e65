package io.currents.api.helm.v2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.FluxMeta;
import io.fabric8.generator.annotation.Pattern;

import java.util.List;

/** Configuration of the Helm test action. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Test {

    private Boolean enable;

    @Pattern(FluxMeta.DURATION_PATTERN)
    private String timeout;

    private Boolean ignoreFailures;

    private List<Filter> filters;

    public Boolean getEnable() {
        return enable;
    }

    public void setEnable(Boolean enable) {
        this.enable = enable;
    }

    public String getTimeout() {
        return timeout;
    }

    public void setTimeout(String timeout) {
        this.timeout = timeout;
    }

    public Boolean getIgnoreFailures() {
        return ignoreFailures;
    }

    public void setIgnoreFailures(Boolean ignoreFailures) {
        this.ignoreFailures = ignoreFailures;
    }

    public List<Filter> getFilters() {
        return filters;
    }

    public void setFilters(List<Filter> filters) {
        this.filters = filters;
    }
}
