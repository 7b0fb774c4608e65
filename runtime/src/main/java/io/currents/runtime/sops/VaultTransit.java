package io.currents.runtime.sops;

import io.currents.runtime.identity.CloudHttp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Unwraps a SOPS data key with HashiCorp Vault's transit engine ({@code hc_vault} entries of the metadata):
 * {@code POST <vault_address>/v1/<engine_path>/decrypt/<key_name>} with the token of the decryption Secret's
 * {@code sops.vault-token} entry, as sops' Vault key service does. The address comes from the encrypted file and
 * the token from the same tenant's Secret; the token is never part of a message.
 */
final class VaultTransit {

    private static final ObjectMapper JSON = new ObjectMapper();

    private VaultTransit() {
    }

    /** The data key held by one {@code hc_vault} entry. */
    static byte[] decrypt(Map<String, Object> entry, String token) throws IOException, InterruptedException {
        String address = string(entry, "vault_address").replaceAll("/+$", "");
        String engine = string(entry, "engine_path").replaceAll("^/+|/+$", "");
        String key = string(entry, "key_name");
        URI uri;
        try {
            uri = URI.create(address + "/v1/" + engine + "/decrypt/" + key);
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid Vault address '" + address + "'");
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IOException("invalid Vault address '" + address + "': only http and https are allowed");
        }
        if (engine.contains("..") || key.contains("/") || key.isEmpty()) {
            throw new IOException("invalid Vault transit engine path or key name");
        }
        String body = JSON.writeValueAsString(Map.of("ciphertext", string(entry, "enc")));
        byte[] answer = CloudHttp.postJson(uri, body, Map.of("X-Vault-Token", token), "Vault", VaultTransit::errors);
        JsonNode plaintext = JSON.readTree(answer).path("data").path("plaintext");
        if (!plaintext.isTextual()) {
            throw new IOException("Vault's answer holds no plaintext");
        }
        // sops hands Vault the data key base64-encoded (transit's plaintext is base64), so this is the key itself
        return Base64.getDecoder().decode(plaintext.asText().getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Logs in to a JWT-backed auth method ({@code POST <address>/v1/<loginPath>} with {@code role} and {@code jwt}, as
     * Vault's Kubernetes and JWT auth methods take it) and returns the client token.
     */
    static String login(String address, String loginPath, String role, String jwt) throws IOException, InterruptedException {
        String path = loginPath.replaceAll("^/+", "");
        if (path.isEmpty() || path.contains("..") || path.contains("?") || path.contains("#")) {
            throw new IOException("invalid Vault login path '" + loginPath + "'");
        }
        URI uri;
        try {
            uri = URI.create(address.replaceAll("/+$", "") + "/v1/" + path);
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid Vault address '" + address + "'");
        }
        String body = JSON.writeValueAsString(Map.of("role", role, "jwt", jwt));
        byte[] answer;
        try {
            answer = CloudHttp.postJson(uri, body, Map.of(), "Vault", VaultTransit::errors);
        } catch (IOException e) {
            throw new IOException("failed to authenticate with Vault '" + address + "' at login path '" + loginPath
                    + "' as role '" + role + "': " + e.getMessage());
        }
        JsonNode token = JSON.readTree(answer).path("auth").path("client_token");
        if (!token.isTextual() || token.asText().isEmpty()) {
            throw new IOException("Vault '" + address + "' returned no token for login at '" + loginPath + "' as role '" + role + "'");
        }
        return token.asText();
    }

    private static String errors(byte[] answer) {
        try {
            JsonNode errors = JSON.readTree(answer).path("errors");
            if (errors.isArray() && !errors.isEmpty()) {
                return errors.get(0).asText();
            }
        } catch (IOException ignored) {
            // not JSON: say nothing more than the status
        }
        return null;
    }

    private static String string(Map<String, Object> entry, String key) {
        Object value = entry.get(key);
        return value == null ? "" : value.toString();
    }
}
