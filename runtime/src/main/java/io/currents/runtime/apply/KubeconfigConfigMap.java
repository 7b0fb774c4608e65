package io.currents.runtime.apply;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Flux's secret-less remote cluster access ({@code spec.kubeConfig.configMapRef}): a ConfigMap names the cluster and
 * the identity instead of a kubeconfig Secret holding credentials. Its keys are Flux's: {@code provider},
 * {@code address}, {@code ca.crt}, {@code serviceAccountName}, {@code audiences} (one per line), {@code cluster}.
 * The {@code generic} provider works here: the controller requests a short-lived token for the named ServiceAccount
 * of the object's namespace (Kubernetes TokenRequest) and calls {@code address} with it, verifying TLS against
 * {@code ca.crt} (or the system's trust store). The cloud providers ({@code aws}, {@code azure}, {@code gcp}) need a
 * cloud identity exchange that Currents does not implement; they are refused with a message saying so.
 */
public final class KubeconfigConfigMap {

    public static final String PROVIDER = "provider";
    public static final String ADDRESS = "address";
    public static final String CA_CERT = "ca.crt";
    public static final String SERVICE_ACCOUNT_NAME = "serviceAccountName";
    public static final String AUDIENCES = "audiences";
    public static final String GENERIC = "generic";
    private static final Set<String> CLOUD_PROVIDERS = Set.of("aws", "azure", "gcp");
    /** One hour, as a remote client lives for one reconcile. */
    private static final long TOKEN_SECONDS = 3600;

    /** Why a ConfigMap cannot be used, in words for the object's Ready message; never carries a token. */
    public static final class Refused extends Exception {
        private final boolean terminal;

        Refused(String message, boolean terminal) {
            super(message);
            this.terminal = terminal;
        }

        /** Whether only a change of the ConfigMap or the object can fix it (no point retrying soon). */
        public boolean terminal() {
            return terminal;
        }
    }

    private KubeconfigConfigMap() {
    }

    /** The client configuration for the cluster the ConfigMap {@code namespace/name} describes, with a fresh token. */
    public static Config config(KubernetesClient controllerClient, String namespace, String name) throws Refused {
        String ref = namespace + "/" + name;
        ConfigMap cm;
        try {
            cm = controllerClient.configMaps().inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            throw new Refused("failed to get KubeConfig configmap '" + ref + "': " + e.getMessage(), false);
        }
        if (cm == null) {
            throw new Refused("KubeConfig configmap '" + ref + "' not found", false);
        }
        Map<String, String> data = cm.getData() == null ? Map.of() : cm.getData();
        String provider = data.getOrDefault(PROVIDER, "").trim();
        if (CLOUD_PROVIDERS.contains(provider)) {
            throw new Refused("KubeConfig configmap '" + ref + "': provider '" + provider + "' (cloud workload identity) is not "
                    + "supported by Currents; use provider 'generic' or spec.kubeConfig.secretRef", true);
        }
        if (!GENERIC.equals(provider)) {
            throw new Refused("KubeConfig configmap '" + ref + "': provider '" + provider + "' is not one of aws, azure, gcp, generic", true);
        }
        String address = data.getOrDefault(ADDRESS, "").trim();
        if (address.isEmpty()) {
            throw new Refused("KubeConfig configmap '" + ref + "': the generic provider needs '" + ADDRESS + "'", true);
        }
        URI uri;
        try {
            uri = URI.create(address.contains("://") ? address : "https://" + address);
        } catch (IllegalArgumentException e) {
            throw new Refused("KubeConfig configmap '" + ref + "': invalid " + ADDRESS + " '" + address + "'", true);
        }
        if (!"https".equals(uri.getScheme())) {
            throw new Refused("KubeConfig configmap '" + ref + "': " + ADDRESS + " must be https (a token is sent to it)", true);
        }
        String serviceAccount = data.getOrDefault(SERVICE_ACCOUNT_NAME, "").trim();
        if (serviceAccount.isEmpty()) {
            throw new Refused("KubeConfig configmap '" + ref + "': the generic provider needs '" + SERVICE_ACCOUNT_NAME + "'", true);
        }
        List<String> audiences = Arrays.stream(data.getOrDefault(AUDIENCES, "").split("\n")).map(String::trim)
                .filter(a -> !a.isEmpty()).toList();
        String token = token(controllerClient, namespace, serviceAccount, audiences);
        ConfigBuilder config = new ConfigBuilder(Config.empty()).withMasterUrl(uri.toString()).withOauthToken(token)
                .withTrustCerts(false).withRequestTimeout(30_000).withConnectionTimeout(10_000);
        String ca = data.get(CA_CERT);
        if (ca != null && !ca.isBlank()) {
            config.withCaCertData(Base64.getEncoder().encodeToString(ca.getBytes(StandardCharsets.UTF_8)));
        }
        return config.build();
    }

    private static String token(KubernetesClient client, String namespace, String serviceAccount, List<String> audiences) throws Refused {
        TokenRequest request = new TokenRequestBuilder().withNewSpec().withAudiences(audiences).withExpirationSeconds(TOKEN_SECONDS)
                .endSpec().build();
        try {
            TokenRequest issued = client.serviceAccounts().inNamespace(namespace).withName(serviceAccount).tokenRequest(request);
            if (issued == null || issued.getStatus() == null || issued.getStatus().getToken() == null) {
                throw new Refused("no token was issued for service account '" + namespace + "/" + serviceAccount + "'", false);
            }
            return issued.getStatus().getToken();
        } catch (KubernetesClientException e) {
            String why = e.getCode() == 404 ? "not found" : e.getStatus() != null && e.getStatus().getMessage() != null
                    ? e.getStatus().getMessage() : "HTTP " + e.getCode();
            throw new Refused("failed to get a token for service account '" + namespace + "/" + serviceAccount + "': " + why, false);
        }
    }
}
