package io.currents.api.helm.v2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.FluxMeta;
import io.currents.api.meta.OneOf;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** How a failed install is retried. */
@ValidationRule(value = "!has(self.retryInterval) || self.name != 'RemediateOnFailure'",
        message = ".retryInterval cannot be set when .name is 'RemediateOnFailure'")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InstallStrategy {

    @Required
    @OneOf({"RemediateOnFailure", "RetryOnFailure"})
    private String name;

    @Pattern(FluxMeta.DURATION_PATTERN)
    private String retryInterval;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getRetryInterval() {
        return retryInterval;
    }

    public void setRetryInterval(String retryInterval) {
        this.retryInterval = retryInterval;
    }
}
