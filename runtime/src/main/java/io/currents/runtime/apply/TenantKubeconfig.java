package io.currents.runtime.apply;

import io.currents.kustomize.yaml.YamlException;
import io.currents.kustomize.yaml.YamlReader;
import io.currents.kustomize.yaml.YamlWriter;
import io.fabric8.kubernetes.client.Config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A kubeconfig from a tenant's Secret, reduced to what a controller may act on before any client library reads it:
 * the current context's server, CA data, TLS server name and namespace, and its user's token, basic auth and client
 * certificate <em>data</em>. File paths ({@code tokenFile}, {@code client-certificate}, {@code certificate-authority},
 * ...) would read the controller's own files, {@code auth-provider} and impersonation fields are dropped as Flux
 * drops them, {@code exec} is kept only under {@link KubeconfigPolicy#allowExec()} (a client library runs it while
 * parsing: code execution in the controller's pod), and {@code insecure-skip-tls-verify} is refused unless
 * {@link KubeconfigPolicy#allowInsecureTls()}. Errors never quote the document: it holds credentials.
 */
final class TenantKubeconfig {

    private static final List<String> CLUSTER_KEPT = List.of("server", "certificate-authority-data", "tls-server-name");
    private static final List<String> USER_KEPT = List.of("token", "username", "password", "client-certificate-data", "client-key-data");

    private TenantKubeconfig() {
    }

    /** The client configuration of the current context, after sanitising; IllegalArgumentException when refused. */
    static Config parse(String text, KubeconfigPolicy policy) {
        Map<String, Object> doc = map(read(text), "the kubeconfig");
        String contextName = string(doc.get("current-context"));
        if (contextName == null || contextName.isEmpty()) {
            throw new IllegalArgumentException("invalid kubeconfig: current-context is not set");
        }
        Map<String, Object> context = named(doc, "contexts", "context", contextName);
        String clusterName = string(context.get("cluster"));
        Map<String, Object> cluster = named(doc, "clusters", "cluster", clusterName);
        String userName = string(context.get("user"));
        Map<String, Object> user = userName == null || userName.isEmpty() ? Map.of() : named(doc, "users", "user", userName);

        Map<String, Object> safeCluster = kept(cluster, CLUSTER_KEPT);
        if (string(safeCluster.get("server")) == null) {
            throw new IllegalArgumentException("invalid kubeconfig: cluster '" + clusterName + "' has no server");
        }
        if (isTrue(cluster.get("insecure-skip-tls-verify"))) {
            if (!policy.allowInsecureTls()) {
                throw new IllegalArgumentException("kubeconfig cluster '" + clusterName + "' sets insecure-skip-tls-verify, which this"
                        + " controller refuses unless started with --" + KubeconfigPolicy.TLS_FLAG + "=true");
            }
            safeCluster.put("insecure-skip-tls-verify", true);
            safeCluster.remove("certificate-authority-data");
        }

        Map<String, Object> safeUser = kept(user, USER_KEPT);
        List<String> dropped = new ArrayList<>();
        for (String key : user.keySet()) {
            if (!USER_KEPT.contains(key) && !(key.equals("exec") && policy.allowExec())) {
                dropped.add(key);
            }
        }
        if (user.get("exec") != null && policy.allowExec()) {
            safeUser.put("exec", user.get("exec"));
        }
        if (safeUser.isEmpty() && dropped.stream().anyMatch(TenantKubeconfig::isCredential)) {
            throw new IllegalArgumentException("kubeconfig user '" + userName + "' has no credentials this controller uses: "
                    + String.join(", ", dropped.stream().filter(TenantKubeconfig::isCredential).toList())
                    + (dropped.contains("exec") ? " (exec runs only with --" + KubeconfigPolicy.EXEC_FLAG + "=true;"
                    + " file paths and auth-provider are never read)" : " (file paths and auth-provider are never read)"));
        }

        Map<String, Object> safeContext = new LinkedHashMap<>();
        safeContext.put("cluster", "target");
        safeContext.put("user", "user");
        if (string(context.get("namespace")) != null) {
            safeContext.put("namespace", context.get("namespace"));
        }
        Map<String, Object> safe = new LinkedHashMap<>();
        safe.put("apiVersion", "v1");
        safe.put("kind", "Config");
        safe.put("clusters", List.of(Map.of("name", "target", "cluster", safeCluster)));
        safe.put("users", List.of(Map.of("name", "user", "user", safeUser)));
        safe.put("contexts", List.of(Map.of("name", "target", "context", safeContext)));
        safe.put("current-context", "target");
        return Config.fromKubeconfig(null, YamlWriter.toYaml(safe), null);
    }

    private static boolean isCredential(String key) {
        return switch (key) {
            case "exec", "auth-provider", "tokenFile", "client-certificate", "client-key" -> true;
            default -> false;
        };
    }

    private static Object read(String text) {
        try {
            return YamlReader.read(text, false);
        } catch (YamlException e) {
            // the parser's message may quote a line of the document, which can be a credential
            throw new IllegalArgumentException("invalid kubeconfig: not a YAML document");
        }
    }

    private static Map<String, Object> named(Map<String, Object> doc, String list, String field, String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("invalid kubeconfig: the current context names no " + field);
        }
        if (doc.get(list) instanceof List<?> entries) {
            for (Object entry : entries) {
                if (entry instanceof Map<?, ?> m && name.equals(string(m.get("name")))) {
                    return map(m.get(field), field + " '" + name + "'");
                }
            }
        }
        throw new IllegalArgumentException("invalid kubeconfig: " + field + " '" + name + "' not found");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String what) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("invalid kubeconfig: " + what + " is not a map");
        }
        return (Map<String, Object>) value;
    }

    private static Map<String, Object> kept(Map<String, Object> from, List<String> keys) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String key : keys) {
            String value = string(from.get(key));
            if (value != null && !value.isEmpty()) {
                out.put(key, value);
            }
        }
        return out;
    }

    private static String string(Object value) {
        return value == null ? null : value.toString();
    }

    private static boolean isTrue(Object value) {
        return Boolean.TRUE.equals(value) || "true".equals(value);
    }
}
