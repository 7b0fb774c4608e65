package io.currents.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;

/**
 * A user name and password for one registry, read from a Docker config ({@code .dockerconfigjson}
 * of a {@code kubernetes.io/dockerconfigjson} Secret, or the older {@code .dockercfg}). Never printed.
 */
public record RegistryCredentials(String username, String password) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The entry of a Docker config that matches {@code registry}, or null when none does. Keys may be
     * a bare host, a URL ({@code https://host/v1/}) and, for Docker Hub, {@code docker.io}.
     */
    public static RegistryCredentials fromDockerConfig(String configJson, String registry) throws IOException {
        JsonNode root = JSON.readTree(configJson);
        JsonNode auths = root.has("auths") ? root.get("auths") : root;
        Iterator<Map.Entry<String, JsonNode>> entries = auths.fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            if (!hostOf(entry.getKey()).equals(normalise(registry))) {
                continue;
            }
            JsonNode auth = entry.getValue();
            String username = text(auth, "username");
            String password = text(auth, "password");
            if ((username == null || password == null) && text(auth, "auth") != null) {
                String decoded = new String(Base64.getDecoder().decode(text(auth, "auth")), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon < 0) {
                    throw new IOException("the 'auth' entry for '" + entry.getKey() + "' is not base64 of user:password");
                }
                username = decoded.substring(0, colon);
                password = decoded.substring(colon + 1);
            }
            if (username == null && text(auth, "identitytoken") != null) {
                // an identity token is a refresh token for the registry's token service
                return new RegistryCredentials("<token>", text(auth, "identitytoken"));
            }
            if (username != null) {
                return new RegistryCredentials(username, password == null ? "" : password);
            }
        }
        return null;
    }

    private static String hostOf(String key) {
        String k = key.trim();
        int scheme = k.indexOf("://");
        if (scheme >= 0) {
            k = k.substring(scheme + 3);
        }
        int slash = k.indexOf('/');
        if (slash >= 0) {
            k = k.substring(0, slash);
        }
        return normalise(k);
    }

    private static String normalise(String host) {
        String h = host.toLowerCase(java.util.Locale.ROOT);
        return h.equals("docker.io") || h.equals("registry-1.docker.io") ? ImageName.DOCKER_HUB : h;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
    }

    public String basicHeader() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "RegistryCredentials[username=" + username + "]";
    }
}
