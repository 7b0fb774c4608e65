package io.currents.runtime.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.ObjectReference;

import java.util.Map;

/**
 * The event payload Flux controllers POST to notification-controller ({@code --events-addr}); field
 * names follow fluxcd/pkg/apis/event.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record FluxEvent(
        ObjectReference involvedObject,
        String severity,
        String timestamp,
        String message,
        String reason,
        Map<String, String> metadata,
        String reportingController,
        String reportingInstance) {

    public static final String SEVERITY_INFO = "info";
    public static final String SEVERITY_ERROR = "error";
}
