package io.currents.api.meta;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A reference to a Secret or ConfigMap holding Helm values, and where to merge them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ValuesReference {

    @Required
    @OneOf({"Secret", "ConfigMap"})
    private String kind;

    @Required
    @Size(min = 1, max = 253)
    private String name;

    @Size(max = 253)
    @Pattern("^[\\-._a-zA-Z0-9]+$")
    private String valuesKey;

    @Size(max = 250)
    @Pattern("^([a-zA-Z0-9_\\-.\\\\\\/]|\\[[0-9]{1,5}\\])+$")
    private String targetPath;

    private Boolean optional;

    /**
     * With targetPath: the value is placed verbatim as a string, without Helm's {@code --set} syntax (as
     * {@code helm --set-literal}); no effect without targetPath.
     */
    private Boolean literal;

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getValuesKey() {
        return valuesKey;
    }

    public void setValuesKey(String valuesKey) {
        this.valuesKey = valuesKey;
    }

    public String getTargetPath() {
        return targetPath;
    }

    public void setTargetPath(String targetPath) {
        this.targetPath = targetPath;
    }

    public Boolean getOptional() {
        return optional;
    }

    public void setOptional(Boolean optional) {
        this.optional = optional;
    }

    /** The data key to read, {@code values.yaml} when not set. */
    @JsonIgnore
    public String getValuesKeyOrDefault() {
        return valuesKey == null || valuesKey.isEmpty() ? "values.yaml" : valuesKey;
    }

    public Boolean getLiteral() {
        return literal;
    }

    public void setLiteral(Boolean literal) {
        this.literal = literal;
    }
}
