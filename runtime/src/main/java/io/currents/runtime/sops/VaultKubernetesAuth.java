package io.currents.runtime.sops;

import io.currents.runtime.identity.ServiceAccountTokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Flux's OpenBao/Vault Kubernetes auth for SOPS ({@code --sops-vault-configmap}): a Kubernetes ServiceAccount token,
 * issued with the Vault address as its audience, is exchanged for a Vault token at the login path the operator's
 * ConfigMap gives for that address ({@code config.yaml}: {@code instances: [{address, loginPath}]}). The ConfigMap is
 * an allowlist: a Vault address a tenant writes in a file but the operator did not list gets no token. The Vault role
 * is {@code <namespace>_<name>} of the ServiceAccount: the Kustomization's {@code decryption.serviceAccountName}
 * (object-level workload identity) or the controller's own. One instance serves one Kustomization's decryption and
 * keeps the tokens it got per address.
 */
public final class VaultKubernetesAuth implements SopsKeys.VaultLogin {

    /** The ConfigMap entry holding the instances. */
    public static final String CONFIG_KEY = "config.yaml";

    private final KubernetesClient client;
    private final String configMapNamespace;
    private final String configMapName;
    private final String serviceAccountNamespace;
    private final String serviceAccountName;
    private final Map<String, String> tokens = new HashMap<>();
    private Map<String, String> loginPaths;

    public VaultKubernetesAuth(KubernetesClient client, String configMapNamespace, String configMapName,
                               String serviceAccountNamespace, String serviceAccountName) {
        this.client = client;
        this.configMapNamespace = configMapNamespace;
        this.configMapName = configMapName;
        this.serviceAccountNamespace = serviceAccountNamespace;
        this.serviceAccountName = serviceAccountName;
    }

    @Override
    public synchronized String token(String vaultAddress) throws IOException, InterruptedException {
        String cached = tokens.get(vaultAddress);
        if (cached != null) {
            return cached;
        }
        if (loginPaths == null) {
            loginPaths = loginPaths();
        }
        String loginPath = loginPaths.get(vaultAddress);
        if (loginPath == null || loginPath.isBlank()) {
            throw new IOException("no Vault login path configured for address '" + vaultAddress + "' in ConfigMap '"
                    + configMapNamespace + "/" + configMapName + "'");
        }
        if (serviceAccountName == null || serviceAccountName.isBlank()) {
            throw new IOException("the controller's own ServiceAccount is unknown (no service account token in this pod and "
                    + "no controller-service-account setting): Vault Kubernetes auth needs one");
        }
        String jwt = serviceAccountToken(vaultAddress);
        String token = VaultTransit.login(vaultAddress, loginPath, serviceAccountNamespace + "_" + serviceAccountName, jwt);
        tokens.put(vaultAddress, token);
        return token;
    }

    /** The {@code namespace/name} of the ServiceAccount a Kubernetes token belongs to, from its {@code sub} claim. */
    public static String[] serviceAccountOf(String jwt) {
        String[] parts = jwt.strip().split("\\.");
        if (parts.length != 3) {
            return null;
        }
        try {
            JsonNode claims = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
            String sub = claims.path("sub").asText("");
            String prefix = "system:serviceaccount:";
            if (!sub.startsWith(prefix)) {
                return null;
            }
            String[] account = sub.substring(prefix.length()).split(":", 2);
            return account.length == 2 && !account[0].isEmpty() && !account[1].isEmpty() ? account : null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private String serviceAccountToken(String audience) throws IOException {
        try {
            return ServiceAccountTokens.issue(client, serviceAccountNamespace, serviceAccountName, List.of(audience));
        } catch (IOException e) {
            throw new IOException("failed to issue Kubernetes token for Vault authentication: " + e.getMessage());
        }
    }

    private Map<String, String> loginPaths() throws IOException {
        String ref = configMapNamespace + "/" + configMapName;
        ConfigMap cm;
        try {
            cm = client.configMaps().inNamespace(configMapNamespace).withName(configMapName).get();
        } catch (KubernetesClientException e) {
            throw new IOException("failed to get Vault ConfigMap '" + ref + "': " + e.getMessage());
        }
        if (cm == null) {
            throw new IOException("failed to get Vault ConfigMap '" + ref + "': not found");
        }
        String data = cm.getData() == null ? null : cm.getData().get(CONFIG_KEY);
        if (data == null) {
            throw new IOException("Vault ConfigMap '" + ref + "' is missing the '" + CONFIG_KEY + "' key");
        }
        Map<String, String> paths = new HashMap<>();
        try {
            Object loaded = new Load(LoadSettings.builder().setMaxAliasesForCollections(10).build()).loadFromString(data);
            if (loaded instanceof Map<?, ?> config && config.get("instances") instanceof List<?> instances) {
                for (Object instance : instances) {
                    if (instance instanceof Map<?, ?> map && map.get("address") != null && map.get("loginPath") != null) {
                        paths.put(String.valueOf(map.get("address")).replaceAll("/+$", ""), String.valueOf(map.get("loginPath")));
                    }
                }
            }
        } catch (RuntimeException e) {
            throw new IOException("failed to parse '" + CONFIG_KEY + "' in Vault ConfigMap '" + ref + "': " + e.getMessage());
        }
        return paths;
    }
}
