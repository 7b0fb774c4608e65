package io.currents.testkit.sops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loopback servers speaking the wire protocols SOPS key services are called with, for tests where the real
 * services cannot run: HashiCorp Vault's transit engine ({@code /v1/<engine>/encrypt|decrypt/<key>} with an
 * {@code X-Vault-Token}), AWS KMS's JSON API ({@code TrentService.Encrypt/Decrypt}, requests signed with
 * SigV4 by a known access key), GCP KMS's REST API ({@code /gcp/v1/<key>:decrypt} with a bearer token from Google's
 * OAuth token endpoint for a service account key, {@code /google/token}) and Azure Key Vault's {@code unwrapkey}
 * ({@code /azure/keys/<name>/<version>/unwrapkey}, RSA-OAEP-256 under an RSA key the server holds, with a bearer token
 * from Entra ID's token endpoint, {@code /aad/<tenant>/oauth2/v2.0/token}, for a client secret or a certificate, or
 * from the instance metadata service, {@code /imds/metadata/identity/oauth2/token}). Other data keys are sealed with
 * AES-GCM under a key the server holds, so only a call to this server opens them.
 */
public final class KeyServiceServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpServer server;
    private final byte[] masterKey = new byte[32];
    private final String vaultToken;
    private final String awsAccessKeyId;
    private final AtomicInteger decryptions = new AtomicInteger();
    private final List<String> vaultLogins = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final KeyPair gcpServiceAccount = rsaKeyPair();
    private final KeyPair azureVaultKey = rsaKeyPair();
    /** Bearer tokens issued, and how they were obtained ("gcp", "azure-secret", "azure-certificate", "azure-imds"). */
    private final Map<String, String> issuedTokens = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile String azureTenant = "tenant-0";
    private volatile String azureClientId = "client-0";
    private volatile String azureClientSecret;
    private volatile java.security.PublicKey azureCertificateKey;

    private KeyServiceServer(HttpServer server, String vaultToken, String awsAccessKeyId) {
        this.server = server;
        this.vaultToken = vaultToken;
        this.awsAccessKeyId = awsAccessKeyId;
        RANDOM.nextBytes(masterKey);
    }

    /** Starts a server accepting this Vault token and requests signed by this AWS access key id. */
    public static KeyServiceServer start(String vaultToken, String awsAccessKeyId) {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            KeyServiceServer keys = new KeyServiceServer(http, vaultToken, awsAccessKeyId);
            http.createContext("/v1/", keys::vault);
            http.createContext("/gcp/v1/", keys::gcpKms);
            http.createContext("/google/token", keys::googleToken);
            http.createContext("/azure/keys/", keys::azureUnwrap);
            http.createContext("/aad/", keys::azureToken);
            http.createContext("/imds/metadata/identity/oauth2/token", keys::azureImds);
            http.createContext("/", keys::kms);
            http.setExecutor(Executors.newFixedThreadPool(2));
            http.start();
            return keys;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:<port>}: the Vault address and the KMS endpoint. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** How many data keys were unwrapped (by either protocol). */
    public int decryptions() {
        return decryptions.get();
    }

    /** A SOPS {@code hc_vault} metadata entry holding the data key, as {@code sops --hc-vault-transit} writes it. */
    public Map<String, Object> vaultEntry(byte[] dataKey, String enginePath, String keyName) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("vault_address", url());
        entry.put("engine_path", enginePath);
        entry.put("key_name", keyName);
        entry.put("created_at", "2026-12-01T10:00:00Z");
        // transit's plaintext is base64: sops sends the data key encoded
        byte[] plaintext = Base64.getEncoder().encode(dataKey);
        entry.put("enc", "vault:v1:" + Base64.getEncoder().encodeToString(seal(plaintext, (enginePath + "/" + keyName).getBytes(StandardCharsets.UTF_8))));
        return entry;
    }

    /** A SOPS {@code kms} metadata entry holding the data key, as {@code sops --kms} writes it. */
    public Map<String, Object> kmsEntry(byte[] dataKey, String arn, Map<String, String> context) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("arn", arn);
        entry.put("created_at", "2026-12-01T10:00:00Z");
        entry.put("enc", Base64.getEncoder().encodeToString(seal(dataKey, contextBytes(context))));
        entry.put("aws_profile", "");
        if (!context.isEmpty()) {
            entry.put("context", new LinkedHashMap<>(context));
        }
        return entry;
    }

    /** The endpoint to give the controller for GCP KMS (its {@code currents.sops.gcp-kms-endpoint}). */
    public String gcpKmsEndpoint() {
        return url() + "/gcp";
    }

    /** The authority host of Entra ID tokens, for a {@code sops.azure-kv} entry's {@code authorityHost}. */
    public String azureAuthorityHost() {
        return url() + "/aad/";
    }

    /** The instance metadata service's address (the controller's {@code currents.sops.azure-imds-endpoint}). */
    public String azureImdsEndpoint() {
        return url() + "/imds";
    }

    /** How many bearer tokens were issued for this kind of credential ("gcp", "azure-secret", ...). */
    public long tokensIssued(String kind) {
        return issuedTokens.values().stream().filter(kind::equals).count();
    }

    /** Accepts this Azure service principal's client secret. */
    public KeyServiceServer azureServicePrincipal(String tenantId, String clientId, String clientSecret) {
        this.azureTenant = tenantId;
        this.azureClientId = clientId;
        this.azureClientSecret = clientSecret;
        return this;
    }

    /** Accepts client assertions of this Azure service principal signed by the key of this PEM certificate. */
    public KeyServiceServer azureCertificatePrincipal(String tenantId, String clientId, String certificatePem) {
        this.azureTenant = tenantId;
        this.azureClientId = clientId;
        try (org.bouncycastle.openssl.PEMParser pem = new org.bouncycastle.openssl.PEMParser(new java.io.StringReader(certificatePem))) {
            var holder = (org.bouncycastle.cert.X509CertificateHolder) pem.readObject();
            this.azureCertificateKey = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(holder).getPublicKey();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** A GCP service account key (the JSON {@code gcloud iam service-accounts keys create} writes) this server accepts. */
    public String gcpServiceAccountJson() {
        ObjectNode json = JSON.createObjectNode();
        json.put("type", "service_account");
        json.put("project_id", "currents-test");
        json.put("private_key_id", "0123456789abcdef");
        json.put("private_key", "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(gcpServiceAccount.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        json.put("client_email", "sops@currents-test.iam.gserviceaccount.com");
        json.put("client_id", "1234567890");
        json.put("token_uri", url() + "/google/token");
        return json.toString();
    }

    /** A SOPS {@code gcp_kms} metadata entry holding the data key, as {@code sops --gcp-kms} writes it. */
    public Map<String, Object> gcpEntry(byte[] dataKey, String resourceId) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("resource_id", resourceId);
        entry.put("created_at", "2026-12-01T10:00:00Z");
        entry.put("enc", Base64.getEncoder().encodeToString(seal(dataKey, resourceId.getBytes(StandardCharsets.UTF_8))));
        return entry;
    }

    /** A SOPS {@code azure_kv} metadata entry holding the data key, as {@code sops --azure-kv} writes it. */
    public Map<String, Object> azureEntry(byte[] dataKey, String name, String version) {
        return azureEntry(dataKey, url() + "/azure", name, version);
    }

    /** The same, naming another vault URL. */
    public Map<String, Object> azureEntry(byte[] dataKey, String vaultUrl, String name, String version) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("vault_url", vaultUrl);
        entry.put("name", name);
        entry.put("version", version);
        entry.put("created_at", "2026-12-01T10:00:00Z");
        try {
            Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
            rsa.init(Cipher.ENCRYPT_MODE, azureVaultKey.getPublic(), OAEP_SHA256);
            entry.put("enc", Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.doFinal(dataKey)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return entry;
    }

    private static final javax.crypto.spec.OAEPParameterSpec OAEP_SHA256 = new javax.crypto.spec.OAEPParameterSpec("SHA-256",
            "MGF1", java.security.spec.MGF1ParameterSpec.SHA256, javax.crypto.spec.PSource.PSpecified.DEFAULT);

    private void googleToken(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> form = form(exchange);
            if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(form.get("grant_type"))
                    || !verifiesJwt(form.get("assertion"), gcpServiceAccount.getPublic(), null)) {
                respond(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT Signature.\"}");
                return;
            }
            respond(exchange, 200, token("gcp"));
        }
    }

    private void gcpKms(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"gcp".equals(bearer(exchange))) {
                respond(exchange, 401, "{\"error\":{\"code\":401,\"message\":\"Request had invalid authentication credentials.\"}}");
                return;
            }
            String path = exchange.getRequestURI().getPath().substring("/gcp/v1/".length());
            if (!"POST".equals(exchange.getRequestMethod()) || !path.endsWith(":decrypt")) {
                respond(exchange, 404, "{\"error\":{\"code\":404,\"message\":\"not found\"}}");
                return;
            }
            String resource = path.substring(0, path.length() - ":decrypt".length());
            byte[] ciphertext = Base64.getDecoder().decode(JSON.readTree(exchange.getRequestBody()).path("ciphertext").asText());
            byte[] plaintext = open(ciphertext, resource.getBytes(StandardCharsets.UTF_8));
            if (plaintext == null) {
                respond(exchange, 400, "{\"error\":{\"code\":400,\"message\":\"Decryption failed: the ciphertext is invalid.\"}}");
                return;
            }
            decryptions.incrementAndGet();
            respond(exchange, 200, JSON.createObjectNode().put("plaintext", Base64.getEncoder().encodeToString(plaintext)).toString());
        }
    }

    private void azureToken(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> form = form(exchange);
            String expectedPath = "/aad/" + azureTenant + "/oauth2/v2.0/token";
            if (!expectedPath.equals(exchange.getRequestURI().getPath()) || !azureClientId.equals(form.get("client_id"))
                    || !"client_credentials".equals(form.get("grant_type")) || form.get("scope") == null
                    || !form.get("scope").endsWith("/.default")) {
                respond(exchange, 400, "{\"error\":\"unauthorized_client\",\"error_description\":\"AADSTS700016: Application not found in the directory.\"}");
                return;
            }
            if (form.containsKey("client_secret")) {
                if (azureClientSecret == null || !azureClientSecret.equals(form.get("client_secret"))) {
                    respond(exchange, 401, "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client secret provided.\"}");
                    return;
                }
                respond(exchange, 200, token("azure-secret"));
                return;
            }
            if (azureCertificateKey == null || !verifiesJwt(form.get("client_assertion"), azureCertificateKey, url() + expectedPath)) {
                respond(exchange, 401, "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS700027: Client assertion failed signature validation.\"}");
                return;
            }
            respond(exchange, 200, token("azure-certificate"));
        }
    }

    private void azureImds(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"true".equals(exchange.getRequestHeaders().getFirst("Metadata"))) {
                respond(exchange, 400, "{\"error\":\"invalid_request\",\"error_description\":\"Required metadata header not specified\"}");
                return;
            }
            respond(exchange, 200, token("azure-imds"));
        }
    }

    private void azureUnwrap(HttpExchange exchange) throws IOException {
        try (exchange) {
            String kind = bearer(exchange);
            if (kind == null || !kind.startsWith("azure-")) {
                respond(exchange, 401, "{\"error\":{\"code\":\"Unauthorized\",\"message\":\"AKV10000: Request is missing a Bearer or PoP token.\"}}");
                return;
            }
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            if (!exchange.getRequestURI().getPath().endsWith("/unwrapkey") || !"RSA-OAEP-256".equals(request.path("alg").asText())) {
                respond(exchange, 400, "{\"error\":{\"code\":\"BadParameter\",\"message\":\"unsupported operation or algorithm\"}}");
                return;
            }
            byte[] plaintext;
            try {
                Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
                rsa.init(Cipher.DECRYPT_MODE, azureVaultKey.getPrivate(), OAEP_SHA256);
                plaintext = rsa.doFinal(Base64.getUrlDecoder().decode(request.path("value").asText()));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                respond(exchange, 400, "{\"error\":{\"code\":\"BadParameter\",\"message\":\"Error unwrapping the key\"}}");
                return;
            }
            decryptions.incrementAndGet();
            respond(exchange, 200, JSON.createObjectNode().put("kid", exchange.getRequestURI().getPath())
                    .put("value", Base64.getUrlEncoder().withoutPadding().encodeToString(plaintext)).toString());
        }
    }

    private String token(String kind) {
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        String token = kind + "-" + java.util.HexFormat.of().formatHex(random);
        issuedTokens.put(token, kind);
        return JSON.createObjectNode().put("access_token", token).put("expires_in", 3600).put("token_type", "Bearer").toString();
    }

    /**
     * Accepts a bearer token another fake issued (a cloud identity's access token) as if issued here for this kind; kind
     * "aws" accepts an access key id for KMS requests.
     */
    public KeyServiceServer acceptBearer(String token, String kind) {
        issuedTokens.put(token, kind);
        return this;
    }

    /** The kind of the bearer token of a request, or null when the server did not issue it. */
    private String bearer(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        return authorization == null || !authorization.startsWith("Bearer ") ? null : issuedTokens.get(authorization.substring(7));
    }

    static Map<String, String> form(HttpExchange exchange) throws IOException {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    /** Whether a compact RS256 JWT is signed by this key (and, when given, is for this audience). */
    private static boolean verifiesJwt(String jwt, java.security.PublicKey key, String audience) {
        if (jwt == null) {
            return false;
        }
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            return false;
        }
        try {
            java.security.Signature signature = java.security.Signature.getInstance("SHA256withRSA");
            signature.initVerify(key);
            signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!signature.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return false;
            }
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            return audience == null || audience.equals(claims.path("aud").asText());
        } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
            return false;
        }
    }

    private static KeyPair rsaKeyPair() {
        try {
            java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The roles Vault Kubernetes logins were made as, in order. */
    public List<String> vaultLogins() {
        return List.copyOf(vaultLogins);
    }

    /**
     * {@code POST /v1/<mount>/login} of a JWT-backed auth method: the token's audience must be this server's address and
     * its subject the ServiceAccount the role is named after ({@code <namespace>_<name>}, as Flux derives it). The
     * signature is the API server's, which this server does not check (Vault would, through a TokenReview).
     */
    private void vaultLogin(HttpExchange exchange, String path) throws IOException {
        JsonNode request = JSON.readTree(exchange.getRequestBody());
        String role = request.path("role").asText("");
        String[] parts = request.path("jwt").asText("").split("\\.");
        JsonNode claims = parts.length == 3 ? JSON.readTree(Base64.getUrlDecoder().decode(parts[1])) : JSON.createObjectNode();
        JsonNode aud = claims.path("aud");
        boolean audience = aud.isTextual() ? url().equals(aud.asText())
                : aud.isArray() && java.util.stream.StreamSupport.stream(aud.spliterator(), false).anyMatch(a -> url().equals(a.asText()));
        String sub = claims.path("sub").asText("");
        String[] account = sub.startsWith("system:serviceaccount:") ? sub.substring(22).split(":", 2) : new String[0];
        if (!path.startsWith("auth/") || !audience || account.length != 2 || !role.equals(account[0] + "_" + account[1])) {
            respond(exchange, 403, "{\"errors\":[\"permission denied\"]}");
            return;
        }
        vaultLogins.add(role);
        ObjectNode answer = JSON.createObjectNode();
        answer.putObject("auth").put("client_token", vaultToken).put("lease_duration", 600);
        respond(exchange, 200, answer.toString());
    }

    private void vault(HttpExchange exchange) throws IOException {
        try (exchange) {
            String requested = exchange.getRequestURI().getPath().substring("/v1/".length());
            if (requested.endsWith("/login") && "POST".equals(exchange.getRequestMethod())) {
                vaultLogin(exchange, requested);
                return;
            }
            if (!vaultToken.equals(exchange.getRequestHeaders().getFirst("X-Vault-Token"))) {
                respond(exchange, 403, "{\"errors\":[\"permission denied\"]}");
                return;
            }
            // /v1/<engine path>/decrypt/<key name>
            String path = exchange.getRequestURI().getPath().substring("/v1/".length());
            int op = path.lastIndexOf("/decrypt/");
            if (!"POST".equals(exchange.getRequestMethod()) || op < 0) {
                respond(exchange, 404, "{\"errors\":[]}");
                return;
            }
            String aad = path.substring(0, op) + "/" + path.substring(op + "/decrypt/".length());
            String ciphertext = JSON.readTree(exchange.getRequestBody()).path("ciphertext").asText();
            if (!ciphertext.startsWith("vault:v1:")) {
                respond(exchange, 400, "{\"errors\":[\"invalid ciphertext: no prefix\"]}");
                return;
            }
            byte[] plaintext = open(Base64.getDecoder().decode(ciphertext.substring("vault:v1:".length())),
                    aad.getBytes(StandardCharsets.UTF_8));
            if (plaintext == null) {
                respond(exchange, 400, "{\"errors\":[\"cipher: message authentication failed\"]}");
                return;
            }
            decryptions.incrementAndGet();
            ObjectNode answer = JSON.createObjectNode();
            answer.putObject("data").put("plaintext", new String(plaintext, StandardCharsets.US_ASCII));
            respond(exchange, 200, answer.toString());
        }
    }

    private void kms(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            String keyId = authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 Credential=") ? ""
                    : authorization.substring(28, Math.max(28, authorization.indexOf('/', 28)));
            if (authorization == null || !(keyId.equals(awsAccessKeyId) || "aws".equals(issuedTokens.get(keyId)))
                    || !authorization.contains("/kms/aws4_request")) {
                respond(exchange, 400, "{\"__type\":\"UnrecognizedClientException\",\"message\":\"The security token included in the request is invalid.\"}");
                return;
            }
            if (!"TrentService.Decrypt".equals(target)) {
                respond(exchange, 400, "{\"__type\":\"UnknownOperationException\"}");
                return;
            }
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            Map<String, String> context = new TreeMap<>();
            request.path("EncryptionContext").fields().forEachRemaining(e -> context.put(e.getKey(), e.getValue().asText()));
            byte[] plaintext = open(Base64.getDecoder().decode(request.path("CiphertextBlob").asText()), contextBytes(context));
            if (plaintext == null) {
                respond(exchange, 400, "{\"__type\":\"InvalidCiphertextException\",\"message\":\"\"}");
                return;
            }
            decryptions.incrementAndGet();
            ObjectNode answer = JSON.createObjectNode();
            answer.put("KeyId", request.path("KeyId").asText());
            answer.put("Plaintext", Base64.getEncoder().encodeToString(plaintext));
            answer.put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            respond(exchange, 200, answer.toString());
        }
    }

    private static byte[] contextBytes(Map<String, String> context) {
        return new TreeMap<>(context).toString().getBytes(StandardCharsets.UTF_8);
    }

    private byte[] seal(byte[] plaintext, byte[] aad) {
        try {
            byte[] iv = new byte[12];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(masterKey, "AES"), new GCMParameterSpec(128, iv));
            cipher.updateAAD(aad);
            byte[] sealed = cipher.doFinal(plaintext);
            byte[] out = Arrays.copyOf(iv, iv.length + sealed.length);
            System.arraycopy(sealed, 0, out, iv.length, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] open(byte[] sealed, byte[] aad) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(masterKey, "AES"), new GCMParameterSpec(128, sealed, 0, 12));
            cipher.updateAAD(aad);
            return cipher.doFinal(sealed, 12, sealed.length - 12);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return null;
        }
    }

    static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (exchange.getResponseHeaders().getFirst("Content-Type") == null) {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

}
