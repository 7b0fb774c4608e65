package io.currents.api.image.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.OneOf;
import io.fabric8.generator.annotation.Default;

/** Orders tags as numbers. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NumericalPolicy {

    @Default("asc")
    @OneOf({"asc", "desc"})
    private String order;

    public String getOrder() {
        return order;
    }

    public void setOrder(String order) {
        this.order = order;
    }
}
