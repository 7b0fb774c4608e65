package io.currents.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A username and password for one registry, as Docker config JSON ({@code .dockerconfigjson}) holds them. */
public record RegistryCredentials(String username, String password) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The credentials a Docker config JSON holds for {@code registry} ({@code host[:port]}): entries under
     * {@code auths} match by host, with or without scheme and path, as Docker and Flux match them; {@code auth}
     * (base64 {@code user:password}) or {@code username}/{@code password}.
     */
    public static Optional<RegistryCredentials> fromDockerConfig(String json, String registry) throws OciException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new OciException(OciException.Kind.AUTHENTICATION, "the Docker config JSON is malformed");
        }
        JsonNode auths = root == null ? null : root.get("auths");
        if (auths == null || !auths.isObject()) {
            return Optional.empty();
        }
        String wanted = normalise(registry);
        for (Iterator<Map.Entry<String, JsonNode>> it = auths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String host = normalise(entry.getKey());
            if (!host.equals(wanted) && !(wanted.equals("registry-1.docker.io") && host.equals("index.docker.io"))) {
                continue;
            }
            JsonNode value = entry.getValue();
            String user = text(value, "username");
            String pass = text(value, "password");
            String auth = text(value, "auth");
            if (auth != null && !auth.isEmpty()) {
                String decoded;
                try {
                    decoded = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw new OciException(OciException.Kind.AUTHENTICATION, "the 'auth' entry for '" + entry.getKey()
                            + "' is not base64");
                }
                int colon = decoded.indexOf(':');
                if (colon < 0) {
                    throw new OciException(OciException.Kind.AUTHENTICATION, "the 'auth' entry for '" + entry.getKey()
                            + "' is not user:password");
                }
                user = decoded.substring(0, colon);
                pass = decoded.substring(colon + 1);
            }
            if (user != null && pass != null) {
                return Optional.of(new RegistryCredentials(user, pass));
            }
        }
        return Optional.empty();
    }

    private static String normalise(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        int scheme = h.indexOf("://");
        if (scheme >= 0) {
            h = h.substring(scheme + 3);
        }
        int slash = h.indexOf('/');
        if (slash >= 0) {
            h = h.substring(0, slash);
        }
        return h.equals("docker.io") ? "index.docker.io" : h;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || !v.isTextual() ? null : v.asText();
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "RegistryCredentials[username=" + username + "]";
    }
}
