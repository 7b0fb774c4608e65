package io.currents.runtime.sops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Unwraps a SOPS data key with Azure Key Vault ({@code azure_kv} entries of the metadata): Key Vault's
 * {@code unwrapKey} operation, {@code POST <vault_url>/keys/<name>/<version>/unwrapkey} with algorithm
 * {@code RSA-OAEP-256} and the entry's wrapped key, as sops' Azure key source makes it through Azure's SDK.
 *
 * <p>The access token comes from the decryption Secret's {@code sops.azure-kv} entry ({@link AzureIdentity}: a
 * service principal with a secret or a certificate) or, when the entry names only a managed identity or there is no
 * entry, from the identity of the controller's pod (workload identity, else the instance's managed identity). A
 * token of the controller's pod goes only to a Key Vault of Azure's own domains over HTTPS: the vault URL is written
 * by the tenant in the encrypted file, so any other host is refused before a token is fetched.
 */
final class AzureKeyVault {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API_VERSION = "7.4";
    private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9-]{1,127}$");
    private static final Pattern VERSION = Pattern.compile("^[a-zA-Z0-9]{0,64}$");
    /** Key Vault's DNS suffixes per cloud, and the resource its tokens are issued for. */
    private static final Map<String, String> VAULT_DOMAINS = Map.of(
            ".vault.azure.net", "https://vault.azure.net",
            ".vault.azure.cn", "https://vault.azure.cn",
            ".vault.usgovcloudapi.net", "https://vault.usgovcloudapi.net",
            ".vault.microsoftazure.de", "https://vault.microsoftazure.de");
    private static final Map<String, CachedToken> TOKENS = new ConcurrentHashMap<>();
    private static final int MAX_CACHED = 256;

    private record CachedToken(String token, Instant expires) {
    }

    private AzureKeyVault() {
    }

    /** The data key held by one {@code azure_kv} entry, unwrapped with this identity (null: the controller's own). */
    static byte[] decrypt(Map<String, Object> entry, AzureIdentity identity) throws IOException, InterruptedException {
        String vaultUrl = string(entry, "vault_url").replaceAll("/+$", "");
        String name = string(entry, "name");
        String version = string(entry, "version");
        if (!NAME.matcher(name).matches() || !VERSION.matcher(version).matches()) {
            throw new IOException("invalid Azure Key Vault key name or version");
        }
        URI vault;
        try {
            vault = URI.create(vaultUrl);
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid Azure Key Vault URL '" + vaultUrl + "'");
        }
        String resource = resource(vault);
        AzureIdentity effective = identity == null ? AzureIdentity.ambient() : identity;
        if (effective.isAmbient() && (resource == null || !"https".equals(vault.getScheme()))) {
            throw new IOException("the controller's own Azure identity is only sent to https://*.vault.azure.net (and the other "
                    + "Azure clouds' Key Vault domains), not to '" + vaultUrl + "': put a service principal in the "
                    + "decryption Secret's " + SopsKeys.AZURE_KV + " entry");
        }
        String token = token(effective, resource == null ? "https://vault.azure.net" : resource);
        URI unwrap = URI.create(vaultUrl + "/keys/" + name + (version.isEmpty() ? "" : "/" + version)
                + "/unwrapkey?api-version=" + API_VERSION);
        // sops stores the wrapped key URL-safe base64 without padding, as Key Vault's JSON carries it
        String body = JSON.writeValueAsString(Map.of("alg", "RSA-OAEP-256", "value", string(entry, "enc")));
        byte[] answer = KeyServiceHttp.postJson(unwrap, body, Map.of("Authorization", "Bearer " + token),
                "Azure Key Vault", AzureKeyVault::error);
        JsonNode value = JSON.readTree(answer).path("value");
        if (!value.isTextual()) {
            throw new IOException("Azure Key Vault's answer holds no value");
        }
        return KeyServiceHttp.base64(value.asText(), "Azure Key Vault's unwrapped key");
    }

    /** The token audience for a vault of Azure's domains, or null for any other host. */
    static String resource(URI vault) {
        String host = vault.getHost() == null ? "" : vault.getHost().toLowerCase(Locale.ROOT);
        for (Map.Entry<String, String> domain : VAULT_DOMAINS.entrySet()) {
            if (host.endsWith(domain.getKey()) && host.length() > domain.getKey().length()) {
                return domain.getValue();
            }
        }
        return null;
    }

    private static String token(AzureIdentity identity, String resource) throws IOException, InterruptedException {
        String key = identity.cacheKey() + "|" + resource;
        CachedToken cached = TOKENS.get(key);
        if (cached != null && Instant.now().isBefore(cached.expires())) {
            return cached.token();
        }
        JsonNode answer = JSON.readTree(identity.requestToken(resource));
        String token = answer.path("access_token").asText("");
        if (token.isEmpty()) {
            throw new IOException("Azure's token endpoint answered without an access_token");
        }
        long lifetime = answer.path("expires_in").asLong(300);
        if (TOKENS.size() >= MAX_CACHED) {
            TOKENS.clear();
        }
        // keep a token until five minutes before it expires
        TOKENS.put(key, new CachedToken(token, Instant.now().plusSeconds(Math.max(0, lifetime - 300))));
        return token;
    }

    static String error(byte[] answer) {
        try {
            JsonNode root = JSON.readTree(answer);
            JsonNode message = root.path("error").path("message");
            if (message.isTextual()) {
                return message.asText();
            }
            // Entra ID's token endpoint: {"error": "invalid_client", "error_description": "AADSTS7000215: ..."}
            JsonNode description = root.path("error_description");
            if (description.isTextual()) {
                return firstLine(description.asText());
            }
            return root.path("error").isTextual() ? root.path("error").asText() : null;
        } catch (IOException e) {
            return null;
        }
    }

    static String form(Map<String, String> fields) {
        StringBuilder form = new StringBuilder();
        fields.forEach((k, v) -> {
            if (!form.isEmpty()) {
                form.append('&');
            }
            form.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return form.toString();
    }

    static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.strip();
    }

    private static String string(Map<String, Object> entry, String key) {
        Object value = entry.get(key);
        return value == null ? "" : value.toString();
    }
}
