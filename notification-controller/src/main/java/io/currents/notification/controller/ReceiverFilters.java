package io.currents.notification.controller;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.currents.api.notification.v1.Receiver;
import io.currents.api.notification.v1.ReceiverResource;
import io.currents.runtime.cel.CelException;
import io.currents.runtime.cel.CelExpression;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The CEL filters of a webhook call, as Flux evaluates them: {@code spec.resourceFilter} and each
 * {@code resources[].filter} (both must accept an object), over {@code res} (the object's {@code apiVersion}, {@code kind}
 * and {@code metadata}), {@code req} (the request body when it is JSON, else an empty map) and, for generic-oidc, the
 * token's {@code claims}.
 */
final class ReceiverFilters {

    /** Decides whether one matched object is annotated. */
    interface Filter {
        boolean accepts(Map<String, Object> object) throws DispatchException;
    }

    static final Filter ALL = object -> true;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReceiverFilters() {
    }

    /** One filter per entry of {@code spec.resources}, in order. */
    static List<Filter> of(Receiver receiver, String contentType, byte[] body, Map<String, Object> claims) throws WebhookValidation.Refused {
        List<ReceiverResource> resources = receiver.getSpec().getResources() == null ? List.of() : receiver.getSpec().getResources();
        String top = blank(receiver.getSpec().getResourceFilter());
        boolean any = top != null || resources.stream().anyMatch(r -> blank(r.getFilter()) != null);
        List<Filter> filters = new ArrayList<>();
        if (!any) {
            resources.forEach(r -> filters.add(ALL));
            return filters;
        }
        Map<String, Object> req = request(contentType, body);
        String[] variables = claims == null ? new String[]{"res", "req"} : new String[]{"res", "req", "claims"};
        CelExpression topProgram = top == null ? null : compile(top, variables);
        for (ReceiverResource r : resources) {
            String own = blank(r.getFilter());
            CelExpression ownProgram = own == null ? null : compile(own, variables);
            filters.add(object -> {
                Map<String, Object> vars = new LinkedHashMap<>();
                vars.put("res", object);
                vars.put("req", req);
                if (claims != null) {
                    vars.put("claims", claims);
                }
                try {
                    return (topProgram == null || topProgram.evaluateBoolean(vars)) && (ownProgram == null || ownProgram.evaluateBoolean(vars));
                } catch (CelException e) {
                    throw new DispatchException(e.getMessage());
                }
            });
        }
        return filters;
    }

    private static CelExpression compile(String expression, String[] variables) throws WebhookValidation.Refused {
        try {
            return CelExpression.compile(expression, CelExpression.Result.BOOL, variables);
        } catch (CelException e) {
            throw new WebhookValidation.Refused(500, "unable to create resource filters: " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> request(String contentType, byte[] body) throws WebhookValidation.Refused {
        boolean json = false;
        for (String type : (contentType == null ? "" : contentType).split(",")) {
            if (type.split(";")[0].trim().toLowerCase(Locale.ROOT).equals("application/json")) {
                json = true;
            }
        }
        if (!json) {
            return Map.of();
        }
        try {
            Object parsed = JSON.readValue(body, Object.class);
            if (parsed instanceof Map<?, ?> map) {
                return (Map<String, Object>) map;
            }
            throw new WebhookValidation.Refused(500, "unable to create resource filters: failed to parse request body as JSON: not an object");
        } catch (IOException e) {
            throw new WebhookValidation.Refused(500, "unable to create resource filters: failed to parse request body as JSON");
        }
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
