package io.currents.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.currents.runtime.Conditions;
import io.currents.runtime.EventRecorder;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What the three reconcilers share: the status write at the end of a reconcile and Flux's Ready-change events. */
final class ImageKinds {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ImageKinds() {
    }

    static String key(HasMetadata obj) {
        return obj.getKind() + "/" + obj.getMetadata().getNamespace() + "/" + obj.getMetadata().getName();
    }

    static <T> T copy(T value, Class<T> type) {
        return JSON.convertValue(value, type);
    }

    /** Writes the status only when it changed, and asks to come back after {@code next} (never when null). */
    static <P extends CustomResource<?, S>, S> UpdateControl<P> finish(P obj, S before, S after, Duration next) {
        UpdateControl<P> control;
        if (Objects.equals(JSON.valueToTree(before), JSON.valueToTree(after))) {
            control = UpdateControl.noUpdate();
        } else {
            obj.setStatus(after);
            obj.getMetadata().setManagedFields(null);
            // the status is ours alone: sending the spec would make us co-own it
            obj.setSpec(null);
            obj.getMetadata().setResourceVersion(null);
            control = UpdateControl.patchStatus(obj);
        }
        return next == null ? control : control.rescheduleAfter(next);
    }

    /**
     * Flux's notification rule: an event when Ready becomes False or changes its message while
     * False (Warning), when it recovers, or when its message changes while True (Normal).
     */
    static void notifyReadyChange(EventRecorder events, HasMetadata obj, List<Condition> before, List<Condition> after,
                                  Map<String, String> metadata) {
        Condition oldReady = Conditions.find(before, Conditions.READY).orElse(null);
        Condition newReady = Conditions.find(after, Conditions.READY).orElse(null);
        if (newReady == null) {
            return;
        }
        boolean same = oldReady != null && Objects.equals(oldReady.getStatus(), newReady.getStatus())
                && Objects.equals(oldReady.getMessage(), newReady.getMessage());
        if (same) {
            return;
        }
        if (Conditions.TRUE.equals(newReady.getStatus())) {
            events.normal(obj, newReady.getReason(), newReady.getMessage(), metadata);
        } else if (Conditions.FALSE.equals(newReady.getStatus())) {
            events.warning(obj, newReady.getReason(), newReady.getMessage(), metadata);
        }
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
