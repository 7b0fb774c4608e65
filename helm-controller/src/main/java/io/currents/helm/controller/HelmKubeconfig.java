package io.currents.helm.controller;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.utils.Utils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the kubeconfig Helm runs with, from a fabric8 client configuration (the controller's own, an
 * impersonating copy, or a remote cluster's): a file readable by the owner only, deleted on close.
 * A remote cluster's configuration gets exactly the credentials it holds: never the pod's token, never a file path.
 */
final class HelmKubeconfig implements AutoCloseable {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final String SERVICE_ACCOUNT_TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token";

    private final Path file;

    private HelmKubeconfig(Path file) {
        this.file = file;
    }

    Path path() {
        return file;
    }

    /**
     * @param controllerIdentity true for the controller's own configuration (possibly impersonating): only then may the
     *                           pod's projected token file stand in for the token; false for a tenant's remote kubeconfig
     */
    static HelmKubeconfig write(Config config, Path dir, boolean controllerIdentity) throws IOException {
        Map<String, Object> cluster = new LinkedHashMap<>();
        cluster.put("server", config.getMasterUrl());
        if (config.getCaCertData() != null && !config.getCaCertData().isBlank()) {
            cluster.put("certificate-authority-data", config.getCaCertData());
        } else if (controllerIdentity && config.getCaCertFile() != null && !config.getCaCertFile().isBlank()) {
            cluster.put("certificate-authority", config.getCaCertFile());
        }
        if (config.isTrustCerts()) {
            cluster.put("insecure-skip-tls-verify", true);
            cluster.remove("certificate-authority-data");
            cluster.remove("certificate-authority");
        }
        Map<String, Object> user = new LinkedHashMap<>();
        putIfSet(user, "client-certificate-data", config.getClientCertData());
        putIfSet(user, "client-key-data", config.getClientKeyData());
        if (controllerIdentity) {
            // files of the controller's own mounted credentials; a tenant's kubeconfig may not name files here
            putIfSet(user, "client-certificate", config.getClientCertFile());
            putIfSet(user, "client-key", config.getClientKeyFile());
        }
        String token = config.getOauthToken() != null ? config.getOauthToken() : config.getAutoOAuthToken();
        if (controllerIdentity && isPodToken(token)) {
            // In a pod: let Helm's client re-read the projected token, which the kubelet rotates.
            user.put("tokenFile", podTokenFile().toString());
        } else {
            putIfSet(user, "token", token);
        }
        putIfSet(user, "username", config.getUsername());
        putIfSet(user, "password", config.getPassword());
        putIfSet(user, "as", config.getImpersonateUsername());
        if (config.getImpersonateGroups() != null && config.getImpersonateGroups().length > 0) {
            user.put("as-groups", new ArrayList<>(Arrays.asList(config.getImpersonateGroups())));
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("apiVersion", "v1");
        doc.put("kind", "Config");
        doc.put("clusters", List.of(Map.of("name", "target", "cluster", cluster)));
        doc.put("users", List.of(Map.of("name", "helm-controller", "user", user)));
        doc.put("contexts", List.of(Map.of("name", "target", "context", Map.of("cluster", "target", "user", "helm-controller"))));
        doc.put("current-context", "target");
        Path file = Files.createTempFile(dir, "kubeconfig-", ".yaml",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(file, YAML.writeValueAsBytes(doc));
        return new HelmKubeconfig(file);
    }

    /** Whether the token is the pod's own service-account token (read from where fabric8 reads it). */
    private static boolean isPodToken(String token) throws IOException {
        if (token == null || token.isBlank()) {
            return false;
        }
        Path file = podTokenFile();
        if (!Files.isReadable(file)) {
            return false;
        }
        return token.strip().equals(Files.readString(file).strip());
    }

    /** The projected token file, or where fabric8's {@code kubernetes.auth.serviceAccount.token} setting puts it. */
    static Path podTokenFile() {
        return Path.of(Utils.getSystemPropertyOrEnvVar(Config.KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN_FILE_SYSTEM_PROPERTY, SERVICE_ACCOUNT_TOKEN));
    }

    private static void putIfSet(Map<String, Object> map, String key, String value) {
        if (value != null && !value.isBlank()) {
            map.put(key, value);
        }
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // The work directory is removed after the reconcile as well.
        }
    }
}
