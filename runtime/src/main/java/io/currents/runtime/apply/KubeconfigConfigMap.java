package io.currents.runtime.apply;

import io.currents.runtime.identity.CloudClusters;
import io.currents.runtime.identity.CloudIdentity;
import io.currents.runtime.identity.ServiceAccountTokens;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.io.IOException;
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
 * With the {@code generic} provider the controller requests a short-lived token for the named ServiceAccount of the
 * object's namespace (Kubernetes TokenRequest) and calls {@code address} with it, verifying TLS against {@code ca.crt}
 * (or the system's trust store). With {@code aws}, {@code gcp} or {@code azure} the controller's cloud identity, or
 * the named ServiceAccount's under the ObjectLevelWorkloadIdentity gate ({@link CloudIdentity}), gets the cluster's
 * token, and the cluster's address and CA come from the cloud's API when not given ({@link CloudClusters}).
 */
public final class KubeconfigConfigMap {

    public static final String PROVIDER = "provider";
    public static final String ADDRESS = "address";
    public static final String CA_CERT = "ca.crt";
    public static final String SERVICE_ACCOUNT_NAME = "serviceAccountName";
    public static final String AUDIENCES = "audiences";
    public static final String CLUSTER = "cluster";
    public static final String GENERIC = "generic";
    private static final Set<String> CLOUD_PROVIDERS = Set.of("aws", "azure", "gcp");
    /** Flux's feature gate for object-level workload identity. */
    public static final String OBJECT_LEVEL_WORKLOAD_IDENTITY = "ObjectLevelWorkloadIdentity";

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

    /**
     * The client configuration for the cluster the ConfigMap {@code namespace/name} describes, with a fresh token.
     * {@code objectLevelIdentity}: whether a cloud provider may use the ConfigMap's {@code serviceAccountName}
     * (Flux's ObjectLevelWorkloadIdentity gate).
     */
    public static Config config(KubernetesClient controllerClient, String namespace, String name, boolean objectLevelIdentity)
            throws Refused {
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
            return cloud(controllerClient, namespace, ref, provider, data, objectLevelIdentity);
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
        String token;
        try {
            token = ServiceAccountTokens.issue(controllerClient, namespace, serviceAccount, audiences);
        } catch (IOException e) {
            throw new Refused(e.getMessage(), false);
        }
        return client(uri.toString(), data.get(CA_CERT), token);
    }

    /** A cluster of EKS, GKE or AKS, reached with a token of the controller's cloud identity or the ServiceAccount's. */
    private static Config cloud(KubernetesClient controllerClient, String namespace, String ref, String provider,
                                Map<String, String> data, boolean objectLevelIdentity) throws Refused {
        String serviceAccount = data.getOrDefault(SERVICE_ACCOUNT_NAME, "").trim();
        if (!serviceAccount.isEmpty() && !objectLevelIdentity) {
            throw new Refused("KubeConfig configmap '" + ref + "': " + SERVICE_ACCOUNT_NAME + " '" + serviceAccount
                    + "' (object-level workload identity) requires the " + OBJECT_LEVEL_WORKLOAD_IDENTITY + " feature gate", true);
        }
        String cluster = blankToNull(data.get(CLUSTER));
        String address = blankToNull(data.get(ADDRESS));
        String ca = blankToNull(data.get(CA_CERT));
        if (cluster == null && (address == null || ca == null)) {
            throw new Refused("KubeConfig configmap '" + ref + "': provider '" + provider + "' needs '" + CLUSTER
                    + "' unless both '" + ADDRESS + "' and '" + CA_CERT + "' are given", true);
        }
        CloudIdentity identity = serviceAccount.isEmpty() ? CloudIdentity.controller()
                : CloudIdentity.serviceAccount(controllerClient, namespace, serviceAccount);
        CloudClusters.Endpoint endpoint;
        try {
            endpoint = switch (provider) {
                case "aws" -> CloudClusters.eks(identity, cluster, address, ca);
                case "gcp" -> CloudClusters.gke(identity, cluster, address, ca);
                default -> CloudClusters.aks(identity, cluster, address, ca);
            };
        } catch (IOException e) {
            throw new Refused("KubeConfig configmap '" + ref + "' (provider " + provider + "): " + e.getMessage(), false);
        }
        return client(endpoint.address().contains("://") ? endpoint.address() : "https://" + endpoint.address(), endpoint.caPem(),
                endpoint.token());
    }

    private static Config client(String address, String caPem, String token) {
        ConfigBuilder config = new ConfigBuilder(Config.empty()).withMasterUrl(address).withOauthToken(token)
                .withTrustCerts(false).withRequestTimeout(30_000).withConnectionTimeout(10_000);
        if (caPem != null && !caPem.isBlank()) {
            config.withCaCertData(Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.UTF_8)));
        }
        return config.build();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
