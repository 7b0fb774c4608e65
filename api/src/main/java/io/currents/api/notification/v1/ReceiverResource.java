package io.currents.api.notification.v1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An object a Receiver asks to reconcile, with an optional CEL filter. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReceiverResource extends CrossNamespaceObjectReference {

    private String filter;

    public String getFilter() {
        return filter;
    }

    public void setFilter(String filter) {
        this.filter = filter;
    }
}
