package io.currents.notification.controller;

import io.currents.api.notification.v1beta3.Provider;
import io.currents.api.notification.v1beta3.ProviderSpec;
import io.currents.kustomize.yaml.BoundedLoad;
import io.currents.runtime.reconcile.FluxDuration;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything needed to deliver to a Provider, resolved from its spec and Secrets with Flux's precedence: the Secret's
 * {@code address} and {@code proxy} override the spec; {@code token}, {@code username}, {@code password} and
 * {@code headers} (a YAML map) come from {@code spec.secretRef}; {@code ca.crt} from {@code spec.certSecretRef}.
 */
record ProviderSettings(String type, String address, String channel, String username, String token,
                        String basicUsername, String basicPassword, Map<String, String> headers, String proxy,
                        byte[] caCertificate, Duration timeout, String uid) {

    static ProviderSettings resolve(KubernetesClient client, Provider provider) throws DispatchException {
        ProviderSpec spec = provider.getSpec();
        String namespace = provider.getMetadata().getNamespace();
        String address = spec.getAddress();
        String proxy = spec.getProxy();
        String token = null;
        String basicUsername = null;
        String basicPassword = null;
        Map<String, String> headers = new LinkedHashMap<>();
        if (spec.getSecretRef() != null && spec.getSecretRef().getName() != null) {
            Map<String, String> data = secretData(client, namespace, spec.getSecretRef().getName());
            address = data.getOrDefault("address", address);
            proxy = data.getOrDefault("proxy", proxy);
            token = data.get("token");
            basicUsername = data.get("username");
            basicPassword = data.get("password");
            if (data.containsKey("headers")) {
                headers.putAll(parseHeaders(data.get("headers"), namespace, spec.getSecretRef().getName()));
            }
        }
        byte[] ca = null;
        if (spec.getCertSecretRef() != null && spec.getCertSecretRef().getName() != null) {
            String name = spec.getCertSecretRef().getName();
            String pem = secretData(client, namespace, name).get("ca.crt");
            if (pem == null) {
                throw new DispatchException("invalid certSecretRef: Secret '" + namespace + "/" + name + "' has no 'ca.crt' key");
            }
            ca = pem.getBytes(StandardCharsets.UTF_8);
        }
        Duration timeout;
        try {
            timeout = FluxDuration.parseOr(spec.getTimeout(), FluxDuration.parse(Provider.DEFAULT_TIMEOUT));
        } catch (IllegalArgumentException e) {
            throw new DispatchException("invalid spec.timeout '" + spec.getTimeout() + "': " + e.getMessage());
        }
        if ((address == null || address.isBlank()) && Provider.TYPE_SLACK.equals(spec.getType()) && token != null) {
            address = "https://slack.com/api/chat.postMessage";
        }
        if (address == null || address.isBlank()) {
            throw new DispatchException("no address found in 'spec.address' nor in 'spec.secretRef'");
        }
        return new ProviderSettings(spec.getType(), address.trim(), spec.getChannel(), spec.getUsername(), token,
                basicUsername, basicPassword, headers, proxy == null || proxy.isBlank() ? null : proxy.trim(), ca,
                timeout, provider.getMetadata().getUid());
    }

    private static Map<String, String> secretData(KubernetesClient client, String namespace, String name) throws DispatchException {
        Secret secret;
        try {
            secret = client.secrets().inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            throw new DispatchException("failed to read Secret '" + namespace + "/" + name + "': " + ApiErrors.describe(e), true);
        }
        if (secret == null) {
            throw new DispatchException("Secret '" + namespace + "/" + name + "' not found");
        }
        Map<String, String> data = new LinkedHashMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        if (secret.getStringData() != null) {
            data.putAll(secret.getStringData());
        }
        return data;
    }

    private static Map<String, String> parseHeaders(String yaml, String namespace, String name) throws DispatchException {
        Object parsed;
        try {
            parsed = BoundedLoad.loadOne(LoadSettings.builder().build(), yaml);
        } catch (RuntimeException e) {
            throw new DispatchException("invalid 'headers' in Secret '" + namespace + "/" + name + "': not a YAML map of strings");
        }
        if (parsed == null) {
            return Map.of();
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new DispatchException("invalid 'headers' in Secret '" + namespace + "/" + name + "': not a YAML map of strings");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        map.forEach((k, v) -> headers.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        return headers;
    }

    @Override
    public String toString() {
        return "ProviderSettings[type=" + type + "]";
    }
}
