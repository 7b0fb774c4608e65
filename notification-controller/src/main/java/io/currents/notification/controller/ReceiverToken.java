package io.currents.notification.controller;

import io.currents.api.notification.v1.Receiver;
import io.currents.runtime.reconcile.ReconcileFailure;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A Receiver's shared secret (the {@code token} key of {@code spec.secretRef}) and the webhook path derived from it. */
final class ReceiverToken {

    private ReceiverToken() {
    }

    /**
     * The token, or a failure (Flux's TokenNotFound) saying what is wrong with the Secret, never its content. A
     * generic-oidc Receiver has no Secret: its token is empty, its path made of its name and namespace alone, as in Flux.
     */
    static String read(KubernetesClient client, Receiver receiver) throws ReconcileFailure {
        String namespace = receiver.getMetadata().getNamespace();
        if (Receiver.TYPE_GENERIC_OIDC.equals(receiver.getSpec().getType()) && receiver.getSpec().getSecretRef() == null) {
            return "";
        }
        if (receiver.getSpec().getSecretRef() == null || receiver.getSpec().getSecretRef().getName() == null) {
            throw tokenNotFound("spec.secretRef is required: reference a Secret with a 'token' key");
        }
        String name = receiver.getSpec().getSecretRef().getName();
        Secret secret;
        try {
            secret = client.secrets().inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            throw tokenNotFound("unable to read token from Secret '" + namespace + "/" + name + "': " + ApiErrors.describe(e));
        }
        if (secret == null) {
            throw tokenNotFound("unable to read token from Secret '" + namespace + "/" + name
                    + "': Secret not found; create it with a 'token' key");
        }
        String token = null;
        if (secret.getData() != null && secret.getData().get("token") != null) {
            token = new String(Base64.getDecoder().decode(secret.getData().get("token")), StandardCharsets.UTF_8);
        } else if (secret.getStringData() != null) {
            token = secret.getStringData().get("token");
        }
        if (token == null || token.isEmpty()) {
            throw tokenNotFound("invalid '" + name + "' secret data: required field 'token'");
        }
        return token;
    }

    /** The whole data of the Receiver's Secret (a GCR Receiver reads {@code email} and {@code audience} from it). */
    static java.util.Map<String, String> data(KubernetesClient client, Receiver receiver) throws DispatchException {
        if (receiver.getSpec().getSecretRef() == null || receiver.getSpec().getSecretRef().getName() == null) {
            return java.util.Map.of();
        }
        return ProviderSettings.secretData(client, receiver.getMetadata().getNamespace(), receiver.getSpec().getSecretRef().getName());
    }

    private static ReconcileFailure tokenNotFound(String message) {
        return ReconcileFailure.retry(Receiver.TOKEN_NOT_FOUND_REASON, message);
    }

    /** Flux's path: {@code /hook/} + hex sha256 of token + name + namespace. */
    static String webhookPath(String token, String name, String namespace) {
        return Receiver.webhookPath(token, name, namespace);
    }
}
