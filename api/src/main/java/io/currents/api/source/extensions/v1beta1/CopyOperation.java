package io.currents.api.source.extensions.v1beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.OneOf;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

import java.util.List;

/** Copies files matched by {@code from} ({@code @alias/glob}) to {@code to} ({@code @artifact/path}) with cp-like semantics. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CopyOperation {

    @Required
    @Size(min = 1, max = 1024)
    @Pattern("^@([a-z0-9]([a-z0-9_-]*[a-z0-9])?)/(.*)$")
    private String from;

    @Required
    @Size(min = 1, max = 1024)
    @Pattern("^@(artifact)/(.*)$")
    private String to;

    @Size(max = 100)
    private List<String> exclude;

    @OneOf({"Overwrite", "Merge", "Extract"})
    private String strategy;

    public String getFrom() {
        return from;
    }

    public void setFrom(String from) {
        this.from = from;
    }

    public String getTo() {
        return to;
    }

    public void setTo(String to) {
        this.to = to;
    }

    public List<String> getExclude() {
        return exclude;
    }

    public void setExclude(List<String> exclude) {
        this.exclude = exclude;
    }

    public String getStrategy() {
        return strategy;
    }

    public void setStrategy(String strategy) {
        this.strategy = strategy;
    }
}
