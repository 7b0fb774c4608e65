package io.currents.api.meta;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON merge patches behind flux's {@code reconcile}, {@code suspend}, {@code resume} and HelmRelease
 * {@code --force}/{@code --reset}: one token (the current time, RFC 3339) in {@code reconcile.fluxcd.io/requestedAt}
 * and in each of the extra annotations, which controllers honour only together with a request of the same value.
 * Shared by the clients that ask for reconciles (the web UI and the CLI's {@code ReconcileRequests}).
 */
public final class ReconcileRequestPatch {

    /** Who suspended the object, written on suspend and removed on resume. */
    public static final String SUSPENDED_BY = "currents.io/suspended-by";
    /** Why it was suspended. */
    public static final String SUSPENDED_REASON = "currents.io/suspended-reason";

    private ReconcileRequestPatch() {
    }

    /** A request token for now. */
    public static String token(Instant now) {
        return DateTimeFormatter.ISO_INSTANT.format(now);
    }

    /** Requests a reconcile, also writing the token to {@code alsoAnnotate} (forceAt, resetAt). */
    public static Map<String, Object> request(String token, List<String> alsoAnnotate) {
        Map<String, Object> annotations = new LinkedHashMap<>();
        annotations.put(FluxMeta.RECONCILE_REQUEST_ANNOTATION, token);
        alsoAnnotate.forEach(a -> annotations.put(a, token));
        return Map.of("metadata", Map.of("annotations", annotations));
    }

    /** Suspends (recording who and why, when given) or resumes (requesting a reconcile with {@code token}). */
    public static Map<String, Object> suspend(boolean suspend, String by, String reason, String token) {
        Map<String, Object> annotations = new LinkedHashMap<>();
        if (suspend) {
            annotations.put(SUSPENDED_BY, by);
            annotations.put(SUSPENDED_REASON, reason);
        } else {
            annotations.put(FluxMeta.RECONCILE_REQUEST_ANNOTATION, token);
            annotations.put(SUSPENDED_BY, null);
            annotations.put(SUSPENDED_REASON, null);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("spec", Map.of("suspend", suspend));
        body.put("metadata", Map.of("annotations", annotations));
        return body;
    }
}
