package io.currents.notification.controller;

import io.currents.api.notification.v1beta3.Provider;
import io.currents.api.notification.v1beta3.ProviderSpec;
import io.currents.kustomize.yaml.BoundedLoad;
import io.currents.runtime.reconcile.FluxDuration;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything needed to deliver to a Provider, resolved from its spec and Secrets with Flux's precedence:
 * <ul>
 *   <li>{@code spec.secretRef}: {@code address} overrides {@code spec.address}; {@code token}; {@code username} and
 *   {@code password} (together: the Secret's username overrides {@code spec.username}); {@code headers} (a YAML map);
 *   the deprecated {@code proxy}; and the whole data for the types that read more keys (NATS {@code creds}/{@code nkey},
 *   GitHub App keys, GCR-style credentials);</li>
 *   <li>proxy: {@code spec.proxy}, overridden by the Secret's {@code proxy}, overridden by {@code spec.proxySecretRef}
 *   ({@code address}, optional {@code username}/{@code password});</li>
 *   <li>TLS: {@code spec.certSecretRef} ({@code ca.crt}, {@code tls.crt}/{@code tls.key} for mTLS); without it, a
 *   commit-status provider's {@code spec.secretRef} may carry the same keys.</li>
 * </ul>
 */
record ProviderSettings(String type, String name, String namespace, String uid, String address, String channel,
                        String username, String password, String token, Map<String, String> headers,
                        Map<String, String> secretData, ProxyTarget proxy, ProviderTls tls, Duration timeout,
                        String serviceAccountName) {

    /** An HTTP(S) proxy and its optional credentials; {@code toString} never shows them. */
    record ProxyTarget(URI uri, String username, String password) {
        @Override
        public String toString() {
            return "ProxyTarget[" + uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort() + "]";
        }
    }

    /** Flux's limit on an address read from a Secret. */
    static final int MAX_ADDRESS_LENGTH = 2048;

    static ProviderSettings resolve(KubernetesClient client, Provider provider) throws DispatchException {
        ProviderSpec spec = provider.getSpec();
        String namespace = provider.getMetadata().getNamespace();
        String address = spec.getAddress();
        String proxy = blankToNull(spec.getProxy());
        String username = blankToNull(spec.getUsername());
        String password = null;
        String token = null;
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, String> data = Map.of();
        ProviderTls tls = null;
        if (spec.getSecretRef() != null && spec.getSecretRef().getName() != null) {
            String secretName = spec.getSecretRef().getName();
            data = secretData(client, namespace, secretName);
            if (data.containsKey("address")) {
                if (data.get("address").length() > MAX_ADDRESS_LENGTH) {
                    throw new DispatchException("invalid address in Secret '" + namespace + "/" + secretName
                            + "': longer than " + MAX_ADDRESS_LENGTH + " bytes");
                }
                address = data.get("address").trim();
            }
            if (data.containsKey("proxy")) {
                proxy = blankToNull(data.get("proxy").trim());
            }
            if (data.containsKey("headers")) {
                headers.putAll(parseHeaders(data.get("headers"), namespace, secretName));
            }
            if (data.containsKey("token")) {
                token = blankToNull(data.get("token").trim());
            }
            String secretUser = data.get("username");
            String secretPassword = data.get("password");
            if (secretUser != null && secretPassword != null) {
                username = secretUser;
                password = secretPassword;
            } else if (secretPassword != null) {
                // the username may come from spec.username (Bitbucket Server's documented setup)
                password = secretPassword;
            }
            if (Notifiers.COMMIT_STATUS_TYPES.contains(spec.getType()) || Notifiers.GITHUB_APP_TYPES.contains(spec.getType())) {
                tls = ProviderTls.fromSecret(data, namespace + "/" + secretName);
                if (tls != null && tls.caCertificates() == null && !tls.hasClientCertificate()) {
                    tls = null;
                }
            }
        }
        ProxyTarget proxyTarget = proxy == null ? null : proxyTarget(proxy, null, null);
        if (spec.getProxySecretRef() != null && spec.getProxySecretRef().getName() != null) {
            String name = spec.getProxySecretRef().getName();
            Map<String, String> proxyData = secretData(client, namespace, name);
            String proxyAddress = blankToNull(proxyData.get("address"));
            if (proxyAddress == null) {
                throw new DispatchException("invalid proxy Secret '" + namespace + "/" + name + "': required key 'address'");
            }
            if (proxyAddress.length() > MAX_ADDRESS_LENGTH) {
                throw new DispatchException("invalid proxy Secret '" + namespace + "/" + name + "': address longer than "
                        + MAX_ADDRESS_LENGTH + " bytes");
            }
            proxyTarget = proxyTarget(proxyAddress.trim(), proxyData.get("username"), proxyData.get("password"));
        }
        if (spec.getCertSecretRef() != null && spec.getCertSecretRef().getName() != null) {
            String name = spec.getCertSecretRef().getName();
            tls = ProviderTls.fromSecret(secretData(client, namespace, name), namespace + "/" + name);
            if (tls == null) {
                throw new DispatchException("invalid certSecretRef: Secret '" + namespace + "/" + name
                        + "' has neither 'ca.crt' nor 'tls.crt'/'tls.key'");
            }
        }
        if (tls != null) {
            tls.validate();
        }
        Duration timeout;
        try {
            timeout = FluxDuration.parseOr(spec.getTimeout(), FluxDuration.parse(Provider.DEFAULT_TIMEOUT));
        } catch (IllegalArgumentException e) {
            throw new DispatchException("invalid spec.timeout '" + spec.getTimeout() + "': " + e.getMessage());
        }
        return new ProviderSettings(spec.getType(), provider.getMetadata().getName(), namespace, provider.getMetadata().getUid(),
                blankToNull(address == null ? null : address.trim()), blankToNull(spec.getChannel()), username, password, token,
                headers, data, proxyTarget, tls, timeout, blankToNull(spec.getServiceAccountName()));
    }

    /** The address, or a failure naming what the type needs it for. */
    String requireAddress(String what) throws DispatchException {
        if (address == null) {
            throw new DispatchException("no " + what + " found in 'spec.address' nor in the 'address' key of 'spec.secretRef'");
        }
        return address;
    }

    /** The address as an absolute http(s) URL, as Flux's {@code url.ParseRequestURI} demands. */
    URI requireUrl(String what) throws DispatchException {
        String a = requireAddress(what);
        try {
            URI uri = new URI(a);
            if (uri.getScheme() == null || uri.getHost() == null
                    || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
                throw new DispatchException("invalid " + what + ": expected an http(s) URL");
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw new DispatchException("invalid " + what + ": not a URL");
        }
    }

    String requireToken(String what) throws DispatchException {
        if (token == null) {
            throw new DispatchException(type + " provider needs " + what + " in the 'token' key of the Secret referenced by spec.secretRef");
        }
        return token;
    }

    String requireChannel(String what) throws DispatchException {
        if (channel == null) {
            throw new DispatchException(type + " provider needs " + what + " in spec.channel");
        }
        return channel;
    }

    /** The token, or the password when no token is set: what Flux's Git providers and OTEL accept. */
    String tokenOrPassword() {
        return token != null ? token : password;
    }

    private static ProxyTarget proxyTarget(String address, String username, String password) throws DispatchException {
        URI uri;
        try {
            uri = new URI(address);
        } catch (java.net.URISyntaxException e) {
            throw new DispatchException("invalid proxy URL");
        }
        if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            throw new DispatchException("invalid proxy URL: expected http:// or https://");
        }
        String user = username;
        String pass = password;
        if (user == null && uri.getRawUserInfo() != null) {
            String info = java.net.URLDecoder.decode(uri.getRawUserInfo(), StandardCharsets.UTF_8);
            int colon = info.indexOf(':');
            user = colon < 0 ? info : info.substring(0, colon);
            pass = colon < 0 ? null : info.substring(colon + 1);
        }
        int port = uri.getPort() > 0 ? uri.getPort() : ("https".equals(uri.getScheme()) ? 443 : 80);
        try {
            return new ProxyTarget(new URI(uri.getScheme(), null, uri.getHost(), port, null, null, null), user, pass);
        } catch (java.net.URISyntaxException e) {
            throw new DispatchException("invalid proxy URL");
        }
    }

    static Map<String, String> secretData(KubernetesClient client, String namespace, String name) throws DispatchException {
        Secret secret;
        try {
            secret = client.secrets().inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            throw new DispatchException("failed to read Secret '" + namespace + "/" + name + "': " + ApiErrors.describe(e), true);
        }
        if (secret == null) {
            throw new DispatchException("failed to get secret '" + namespace + "/" + name + "': Secret not found");
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
            // both bounds: few aliases, and go-yaml's expansion rule before anything walks the document
            parsed = BoundedLoad.loadOne(LoadSettings.builder().setMaxAliasesForCollections(10).build(), yaml);
        } catch (RuntimeException e) {
            throw new DispatchException("failed to read headers from Secret '" + namespace + "/" + name + "': not a YAML map of strings");
        }
        if (parsed == null) {
            return Map.of();
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new DispatchException("failed to read headers from Secret '" + namespace + "/" + name + "': not a YAML map of strings");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        map.forEach((k, v) -> headers.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        return headers;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    @Override
    public String toString() {
        return "ProviderSettings[type=" + type + ", provider=" + namespace + "/" + name + "]";
    }
}
