package io.currents.runtime.sops;

import io.currents.runtime.identity.CloudIdentity;

import io.currents.runtime.identity.CloudHttp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Unwraps a SOPS data key with Google Cloud KMS ({@code gcp_kms} entries of the metadata): the
 * {@code cryptoKeys.decrypt} call of KMS's REST API, {@code POST <endpoint>/v1/<resource_id>:decrypt} with the
 * entry's ciphertext, as sops' GCP key source makes it through Google's client. The access token comes from the
 * decryption Secret's {@code sops.gcp-kms} entry (any credentials JSON Google's auth library reads: a service account
 * key, an external account for workload identity federation, an authorized user) or, without it, from the
 * controller's own Application Default Credentials (GKE workload identity, {@code GOOGLE_APPLICATION_CREDENTIALS}).
 *
 * <p>The endpoint is the controller's ({@value #DEFAULT_ENDPOINT}, or the {@code currents.sops.gcp-kms-endpoint}
 * system property / {@code CURRENTS_SOPS_GCP_KMS_ENDPOINT} environment variable): a tenant's file names a key, never a
 * host, so the controller's own token only ever goes to KMS.
 */
final class GcpKms {

    static final String DEFAULT_ENDPOINT = "https://cloudkms.googleapis.com";
    private static final String SCOPE = "https://www.googleapis.com/auth/cloudkms";
    private static final Pattern RESOURCE_ID = Pattern.compile(
            "^projects/[a-z0-9._:-]+/locations/[a-z0-9-]+/keyRings/[a-zA-Z0-9_-]+/cryptoKeys/[a-zA-Z0-9_-]+$");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Credentials by a digest of their JSON (and the controller's own under ""): each refreshes its own token. */
    private static final Map<String, GoogleCredentials> CREDENTIALS = new ConcurrentHashMap<>();
    private static final int MAX_CACHED = 256;

    private GcpKms() {
    }

    /** The data key held by one {@code gcp_kms} entry, unwrapped with these credentials (JSON; null: the controller's). */
    static byte[] decrypt(Map<String, Object> entry, String credentialsJson, CloudIdentity identity)
            throws IOException, InterruptedException {
        String resource = string(entry, "resource_id");
        if (!RESOURCE_ID.matcher(resource).matches()) {
            throw new IOException("invalid GCP KMS key resource id '" + resource + "'");
        }
        String ciphertext = string(entry, "enc");
        URI uri = URI.create(endpoint() + "/v1/" + resource + ":decrypt");
        String body = JSON.writeValueAsString(Map.of("ciphertext", ciphertext));
        byte[] answer = CloudHttp.postJson(uri, body, Map.of("Authorization", "Bearer "
                + (credentialsJson == null && !identity.isController() ? identity.gcpAccessToken() : token(credentialsJson))),
                "GCP KMS", CloudHttp::googleError);
        JsonNode plaintext = JSON.readTree(answer).path("plaintext");
        if (!plaintext.isTextual()) {
            throw new IOException("GCP KMS's answer holds no plaintext");
        }
        return CloudHttp.base64(plaintext.asText(), "GCP KMS's plaintext");
    }

    static String endpoint() {
        String configured = System.getProperty("currents.sops.gcp-kms-endpoint", System.getenv("CURRENTS_SOPS_GCP_KMS_ENDPOINT"));
        return (configured == null || configured.isBlank() ? DEFAULT_ENDPOINT : configured).replaceAll("/+$", "");
    }

    private static String token(String credentialsJson) throws IOException {
        String key = credentialsJson == null ? "" : CloudHttp.sha256(credentialsJson);
        GoogleCredentials credentials = CREDENTIALS.get(key);
        if (credentials == null) {
            try {
                credentials = (credentialsJson == null ? GoogleCredentials.getApplicationDefault()
                        : GoogleCredentials.fromStream(new ByteArrayInputStream(credentialsJson.getBytes(StandardCharsets.UTF_8))))
                        .createScoped(List.of(SCOPE));
            } catch (IOException | RuntimeException e) {
                // Never echo the JSON: it holds a private key.
                throw new IOException(credentialsJson == null
                        ? "no GCP credentials in the decryption Secret (sops.gcp-kms) and none for the controller: " + e.getClass().getSimpleName()
                        : "the " + SopsKeys.GCP_KMS + " entry is not a GCP credentials JSON Google's auth library reads");
            }
            if (CREDENTIALS.size() >= MAX_CACHED) {
                CREDENTIALS.clear();
            }
            CREDENTIALS.put(key, credentials);
        }
        try {
            credentials.refreshIfExpired();
            AccessToken token = credentials.getAccessToken();
            if (token == null) {
                throw new IOException("GCP credentials gave no access token");
            }
            return token.getTokenValue();
        } catch (IOException e) {
            // The token endpoint's message, never the credentials.
            throw new IOException("failed to get a GCP access token: " + CloudHttp.firstLine(e.getMessage()));
        }
    }

    private static String string(Map<String, Object> entry, String key) {
        Object value = entry.get(key);
        return value == null ? "" : value.toString();
    }
}
