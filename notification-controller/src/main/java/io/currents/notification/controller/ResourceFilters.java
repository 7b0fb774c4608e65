package io.currents.notification.controller;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.currents.api.notification.v1.Receiver;
import io.currents.api.notification.v1.ReceiverResource;
import io.currents.runtime.cel.CelException;
import io.currents.runtime.cel.CelExpression;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Receiver's CEL filters ({@code spec.resourceFilter}, and {@code spec.resources[].filter} stacked on it): an object
 * is annotated only when every filter that applies to it is true. The expressions see {@code res} (the object's
 * apiVersion, kind and metadata, as Flux's partial object metadata) and {@code req} (the call's JSON body; an empty
 * object when the call is not JSON).
 */
final class ResourceFilters {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<List<CelExpression>> perResource;
    private final Map<String, Object> request;

    private ResourceFilters(List<List<CelExpression>> perResource, Map<String, Object> request) {
        this.perResource = perResource;
        this.request = request;
    }

    /** Compiles a Receiver's filters for one call; a malformed expression or body is a {@link CelException}. */
    @SuppressWarnings("unchecked")
    static ResourceFilters of(Receiver receiver, String contentType, byte[] body) throws CelException {
        CelExpression top = compile(receiver.getSpec().getResourceFilter(), "resourceFilter");
        List<List<CelExpression>> filters = new ArrayList<>();
        boolean any = top != null;
        List<ReceiverResource> resources = receiver.getSpec().getResources();
        for (int i = 0; i < resources.size(); i++) {
            List<CelExpression> stack = new ArrayList<>();
            if (top != null) {
                stack.add(top);
            }
            CelExpression own = compile(resources.get(i).getFilter(), "filter of resources[" + i + "]");
            if (own != null) {
                stack.add(own);
                any = true;
            }
            filters.add(stack);
        }
        Map<String, Object> request = Map.of();
        if (any && isJson(contentType)) {
            try {
                Object parsed = JSON.readValue(body, Object.class);
                request = parsed instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
            } catch (IOException e) {
                throw new CelException("failed to parse request body as JSON: " + e.getMessage());
            }
        }
        return new ResourceFilters(filters, request);
    }

    /** Whether the object matched by {@code resources[index]} is to be annotated. */
    boolean accepts(int index, GenericKubernetesResource object) throws CelException {
        List<CelExpression> stack = perResource.get(index);
        if (stack.isEmpty()) {
            return true;
        }
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("apiVersion", object.getApiVersion());
        res.put("kind", object.getKind());
        res.put("metadata", JSON.convertValue(object.getMetadata(), Map.class));
        for (CelExpression filter : stack) {
            if (!filter.evaluateBoolean(Map.of("res", res, "req", request))) {
                return false;
            }
        }
        return true;
    }

    /** Checks an expression as the Receiver reconcile does, before any call. */
    static void validate(Receiver receiver) throws CelException {
        compile(receiver.getSpec().getResourceFilter(), "resourceFilter");
        List<ReceiverResource> resources = receiver.getSpec().getResources();
        for (int i = 0; i < resources.size(); i++) {
            ReceiverResource r = resources.get(i);
            try {
                compile(r.getFilter(), "filter");
            } catch (CelException e) {
                throw new CelException("invalid filter expression for resources[" + i + "] (kind=\"" + r.getKind() + "\", name=\""
                        + r.getName() + "\"): " + e.getMessage(), e);
            }
        }
    }

    private static CelExpression compile(String expression, String what) throws CelException {
        if (expression == null || expression.isEmpty()) {
            return null;
        }
        try {
            return CelExpression.compileCondition(expression, "res", "req");
        } catch (CelException e) {
            throw new CelException("invalid " + what + " expression: " + e.getMessage(), e);
        }
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        for (String part : contentType.split(",")) {
            if (part.split(";")[0].strip().toLowerCase(Locale.ROOT).equals("application/json")) {
                return true;
            }
        }
        return false;
    }
}
