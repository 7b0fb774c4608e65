package io.currents.runtime.reconcile;

import io.currents.api.meta.FluxMeta;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The {@code reconcile.fluxcd.io/requestedAt} annotation: a person or tool asking for a reconcile now. */
public final class ReconcileRequest {

    public static final String REQUESTED_AT_ANNOTATION = FluxMeta.RECONCILE_REQUEST_ANNOTATION;

    private ReconcileRequest() {
    }

    /** The requested-at token on the object, if any. */
    public static Optional<String> requestedAt(HasMetadata obj) {
        Map<String, String> annotations = obj.getMetadata().getAnnotations();
        return annotations == null ? Optional.empty() : Optional.ofNullable(annotations.get(REQUESTED_AT_ANNOTATION));
    }

    /** True when the object carries a request that {@code lastHandled} has not answered yet. */
    public static boolean isPending(HasMetadata obj, String lastHandled) {
        return requestedAt(obj).map(token -> !Objects.equals(token, lastHandled)).orElse(false);
    }
}
