package io.currents.runtime.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Writes an object's status during and at the end of a reconcile, as Flux's serial patcher does: each write is
 * compared with the last one written (at first, the status as read) and sent only when it differs. A write is a
 * server-side apply of the status alone, forced, under the controller's field manager: the spec is never sent, so
 * the controller never co-owns a field a person or a GitOps tool applies, and no resource version is sent, so an
 * edit of the object since it was read does not make the write fail. Each object the API server returns is handed
 * to {@code written} (with the version it follows), so that the next reconcile starts from what was written rather
 * than from an informer cache the write has not reached yet.
 */
public final class StatusPatcher {

    private final KubernetesClient client;
    private final HasMetadata object;
    private final String fieldManager;
    private final KubernetesSerialization serialization;
    private final BiConsumer<HasMetadata, HasMetadata> written;
    private JsonNode lastStatus;
    private HasMetadata lastObject;

    /**
     * @param written told of each object written and of the one it follows (the object as read at first); may be null
     */
    public StatusPatcher(KubernetesClient client, HasMetadata object, String fieldManager, Object statusAsRead,
                         BiConsumer<HasMetadata, HasMetadata> written) {
        this.client = client;
        this.object = object;
        this.fieldManager = fieldManager;
        this.serialization = client.getKubernetesSerialization();
        this.written = written;
        this.lastStatus = serialization.convertValue(statusAsRead, JsonNode.class);
        this.lastObject = object;
    }

    /** Sends {@code status} when it differs from the last status written; true when it was sent. */
    public boolean patch(Object status) {
        JsonNode now = serialization.convertValue(status, JsonNode.class);
        if (now.equals(lastStatus)) {
            return false;
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", object.getMetadata().getName());
        if (object.getMetadata().getNamespace() != null) {
            metadata.put("namespace", object.getMetadata().getNamespace());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("apiVersion", object.getApiVersion());
        body.put("kind", object.getKind());
        body.put("metadata", metadata);
        body.put("status", now);
        HasMetadata updated = apply(object.getClass(), body);
        lastStatus = now;
        if (written != null && updated != null) {
            written.accept(updated, lastObject);
            lastObject = updated;
        }
        return true;
    }

    /**
     * Server-side applies {@code body} to the status subresource. Addressed through an object (only its name and namespace
     * are read), not withName(...): fabric8 would look the object up with an extra LIST request before each patch.
     */
    private <T extends HasMetadata> T apply(Class<T> type, Map<String, Object> body) {
        Map<String, Object> target = new LinkedHashMap<>(body);
        target.remove("status");
        T stub = serialization.convertValue(target, type);
        var resources = client.resources(type);
        var named = object.getMetadata().getNamespace() == null
                ? resources.resource(stub)
                : resources.inNamespace(object.getMetadata().getNamespace()).resource(stub);
        return named.subresource("status").patch(new PatchContext.Builder()
                .withPatchType(PatchType.SERVER_SIDE_APPLY)
                .withFieldManager(fieldManager)
                .withForce(true)
                .build(), serialization.asJson(body));
    }

    /** A deep copy of a status, through its JSON form. */
    @SuppressWarnings("unchecked")
    public static <S> S copy(KubernetesSerialization serialization, S status) {
        return (S) serialization.convertValue(status, status.getClass());
    }
}
