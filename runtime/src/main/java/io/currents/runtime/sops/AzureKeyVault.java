package io.currents.runtime.sops;

import io.currents.runtime.identity.AzureIdentity;
import io.currents.runtime.identity.CloudHttp;

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
        String token = effective.accessToken(resource == null ? "https://vault.azure.net" : resource);
        URI unwrap = URI.create(vaultUrl + "/keys/" + name + (version.isEmpty() ? "" : "/" + version)
                + "/unwrapkey?api-version=" + API_VERSION);
        // sops stores the wrapped key URL-safe base64 without padding, as Key Vault's JSON carries it
        String body = JSON.writeValueAsString(Map.of("alg", "RSA-OAEP-256", "value", string(entry, "enc")));
        byte[] answer = CloudHttp.postJson(unwrap, body, Map.of("Authorization", "Bearer " + token),
                "Azure Key Vault", AzureIdentity::error);
        JsonNode value = JSON.readTree(answer).path("value");
        if (!value.isTextual()) {
            throw new IOException("Azure Key Vault's answer holds no value");
        }
        return CloudHttp.base64(value.asText(), "Azure Key Vault's unwrapped key");
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

    private static String string(Map<String, Object> entry, String key) {
        Object value = entry.get(key);
        return value == null ? "" : value.toString();
    }
}
