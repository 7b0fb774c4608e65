package io.currents.api.notification.v1;

import io.currents.api.meta.FluxObject;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.Annotations;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A webhook endpoint that asks for the reconciliation of Flux objects when an external system calls it. */
@Annotations("kustomize.toolkit.fluxcd.io/substitute=disabled")
@Group("notification.toolkit.fluxcd.io")
@Version("v1")
@Kind("Receiver")
@Plural("receivers")
@Singular("receiver")
@Categories({"all", "fluxcd", "fluxcd-notifications"})
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Status", jsonPath = ".status.conditions[?(@.type==\"Ready\")].message", type = AdditionalPrinterColumn.Type.STRING)
public class Receiver extends CustomResource<ReceiverSpec, ReceiverStatus> implements Namespaced, FluxObject {

    /** Path prefix of every receiver webhook. */
    public static final String WEBHOOK_PATH_PREFIX = "/hook/";

    /** Flux's webhook path of a Receiver: {@code /hook/} + hex SHA-256 of token + name + namespace ({@code GetWebhookPath}). */
    public static String webhookPath(String token, String name, String namespace) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest((token + name + namespace).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return WEBHOOK_PATH_PREFIX + java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static final String TYPE_GENERIC = "generic";
    public static final String TYPE_GENERIC_HMAC = "generic-hmac";
    public static final String TYPE_GENERIC_OIDC = "generic-oidc";
    public static final String TYPE_GITHUB = "github";
    public static final String TYPE_GITLAB = "gitlab";
    public static final String TYPE_BITBUCKET = "bitbucket";
    public static final String TYPE_HARBOR = "harbor";
    public static final String TYPE_DOCKERHUB = "dockerhub";
    public static final String TYPE_QUAY = "quay";
    public static final String TYPE_GCR = "gcr";
    public static final String TYPE_NEXUS = "nexus";
    public static final String TYPE_ACR = "acr";
    public static final String TYPE_CDEVENTS = "cdevents";

    public static final String INITIALIZED_REASON = "Initialized";
    public static final String VALIDATION_FAILED_REASON = "ValidationFailed";
    public static final String TOKEN_NOT_FOUND_REASON = "TokenNotFound";
    public static final String INVALID_CONFIG_REASON = "InvalidConfig";
    public static final String NOTIFICATION_DISPATCH_FAILED_REASON = "NotificationDispatchFailed";
    public static final String SOURCE_FETCH_FAILED_REASON = "SourceFetchFailed";
    public static final String METADATA_APPEND_FAILED_REASON = "MetadataAppendFailed";
}
