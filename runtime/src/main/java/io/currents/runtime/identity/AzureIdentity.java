package io.currents.runtime.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An Azure identity to get Key Vault tokens with, as Flux reads it from a decryption Secret's {@code sops.azure-kv}
 * entry (JSON or YAML): a service principal with {@code tenantId}, {@code clientId} and {@code clientSecret} (or the
 * {@code tenant}, {@code appId} and {@code password} that {@code az ad sp create-for-rbac} prints), a service principal
 * with a {@code clientCertificate} (PEM holding the certificate and its private key, optionally
 * {@code clientCertificatePassword} and {@code clientCertificateSendChain}), or only a {@code clientId}: a managed
 * identity of the node. {@code authorityHost} replaces the Azure public cloud's login endpoint.
 *
 * <p>Without an entry the controller's own identity is used ({@link #ambient()}): Azure workload identity when the pod
 * has it ({@code AZURE_FEDERATED_TOKEN_FILE}, {@code AZURE_CLIENT_ID}, {@code AZURE_TENANT_ID}), else the instance's
 * managed identity. A Kubernetes ServiceAccount of a tenant gets its own ({@link #federated}): its token is the client
 * assertion of Entra ID's workload identity federation, as Flux's object-level workload identity does.
 */
public final class AzureIdentity {

    /** The decryption Secret entry an identity is read from. */
    public static final String SOPS_ENTRY = "sops.azure-kv";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, CachedToken> TOKENS = new ConcurrentHashMap<>();
    private static final int MAX_CACHED = 256;

    private record CachedToken(String token, Instant expires) {
    }

    /** Gives a fresh client assertion (a Kubernetes ServiceAccount token for Entra ID's token exchange). */
    @FunctionalInterface
    public interface Assertion {
        String get() throws IOException;
    }

    private static final String DEFAULT_AUTHORITY = "https://login.microsoftonline.com/";
    private static final String IMDS = "http://169.254.169.254";

    private enum Kind { CLIENT_SECRET, CLIENT_CERTIFICATE, WORKLOAD_IDENTITY, MANAGED_IDENTITY }

    private final Kind kind;
    private final String tenantId;
    private final String clientId;
    private final String secret;
    private final String certificate;
    private final String certificatePassword;
    private final boolean sendChain;
    private final String authorityHost;
    private Assertion assertion;
    /** Whose federated identity this is (a ServiceAccount), so that tokens are never shared across subjects. */
    private String subject = "";

    private AzureIdentity(Kind kind, String tenantId, String clientId, String secret, String certificate,
                          String certificatePassword, boolean sendChain, String authorityHost) {
        this.kind = kind;
        this.tenantId = tenantId;
        this.clientId = clientId;
        this.secret = secret;
        this.certificate = certificate;
        this.certificatePassword = certificatePassword;
        this.sendChain = sendChain;
        this.authorityHost = authorityHost == null || authorityHost.isBlank() ? DEFAULT_AUTHORITY
                : authorityHost.endsWith("/") ? authorityHost : authorityHost + "/";
    }

    /** The identity of a {@code sops.azure-kv} entry. */
    public static AzureIdentity parse(String entry) {
        Map<String, String> fields = new LinkedHashMap<>();
        try {
            Object loaded = new Load(LoadSettings.builder().setMaxAliasesForCollections(10).setCodePointLimit(256 * 1024).build())
                    .loadFromString(entry);
            if (loaded instanceof Map<?, ?> map) {
                map.forEach((k, v) -> fields.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
            }
        } catch (RuntimeException e) {
            // Never echo the entry: it holds a secret.
            throw new IllegalArgumentException("the " + SOPS_ENTRY + " entry is not a JSON or YAML object");
        }
        String tenantId = first(fields, "tenantId", "tenant");
        String clientId = first(fields, "clientId", "appId");
        String secret = first(fields, "clientSecret", "password");
        String certificate = first(fields, "clientCertificate");
        String authority = first(fields, "authorityHost");
        boolean sendChain = "true".equalsIgnoreCase(first(fields, "clientCertificateSendChain"));
        if (tenantId != null && clientId != null && secret != null) {
            return new AzureIdentity(Kind.CLIENT_SECRET, tenantId, clientId, secret, null, null, false, authority);
        }
        if (tenantId != null && clientId != null && certificate != null) {
            return new AzureIdentity(Kind.CLIENT_CERTIFICATE, tenantId, clientId, null, certificate,
                    first(fields, "clientCertificatePassword"), sendChain, authority);
        }
        if (clientId != null && tenantId == null && secret == null && certificate == null) {
            return new AzureIdentity(Kind.MANAGED_IDENTITY, null, clientId, null, null, null, false, authority);
        }
        throw new IllegalArgumentException("the " + SOPS_ENTRY + " entry needs tenantId, clientId and clientSecret (or "
                + "clientCertificate), or only the clientId of a managed identity");
    }

    /** The controller's own identity: workload identity when the pod has it, else the instance's managed identity. */
    public static AzureIdentity ambient() {
        String tokenFile = System.getenv("AZURE_FEDERATED_TOKEN_FILE");
        String clientId = System.getenv("AZURE_CLIENT_ID");
        String tenantId = System.getenv("AZURE_TENANT_ID");
        if (tokenFile != null && !tokenFile.isBlank() && clientId != null && tenantId != null) {
            AzureIdentity workload = new AzureIdentity(Kind.WORKLOAD_IDENTITY, tenantId, clientId, null, null, null, false,
                    authorityHost());
            workload.assertion = () -> Files.readString(Path.of(tokenFile)).strip();
            workload.subject = "controller";
            return workload;
        }
        return new AzureIdentity(Kind.MANAGED_IDENTITY, null, clientId, null, null, null, false, null);
    }

    /**
     * The identity of a Kubernetes ServiceAccount federated with an Entra ID application: {@code subject} names the
     * account, {@code assertion} gives its token (audience {@code api://AzureADTokenExchange}).
     */
    public static AzureIdentity federated(String tenantId, String clientId, String subject, Assertion assertion) {
        AzureIdentity federated = new AzureIdentity(Kind.WORKLOAD_IDENTITY, tenantId, clientId, null, null, null, false, authorityHost());
        federated.assertion = assertion;
        federated.subject = subject;
        return federated;
    }

    /** Entra ID's login endpoint: {@code AZURE_AUTHORITY_HOST} (or {@code currents.azure.authority-host}), else Azure's public cloud. */
    static String authorityHost() {
        return CloudHttp.setting("currents.azure.authority-host", "AZURE_AUTHORITY_HOST", DEFAULT_AUTHORITY);
    }

    /** Whether tokens of this identity belong to the controller's pod or node rather than to the tenant. */
    public boolean isAmbient() {
        return kind == Kind.MANAGED_IDENTITY || kind == Kind.WORKLOAD_IDENTITY && "controller".equals(subject);
    }

    private String cacheKey() {
        return kind + "|" + tenantId + "|" + clientId + "|" + authorityHost + "|" + subject + "|"
                + CloudHttp.sha256(String.valueOf(secret) + "|" + certificate);
    }

    /**
     * An access token of this identity for a resource ({@code https://vault.azure.net}, an application id such as AKS's):
     * the scope asked of Entra ID is the resource's {@code /.default}. Tokens are kept until five minutes before they expire.
     */
    public String accessToken(String resource) throws IOException, InterruptedException {
        String key = cacheKey() + "|" + resource;
        CachedToken cached = TOKENS.get(key);
        if (cached != null && Instant.now().isBefore(cached.expires())) {
            return cached.token();
        }
        JsonNode answer = JSON.readTree(requestToken(resource));
        String token = answer.path("access_token").asText("");
        if (token.isEmpty()) {
            throw new IOException("Azure's token endpoint answered without an access_token");
        }
        long lifetime = answer.path("expires_in").asLong(300);
        if (TOKENS.size() >= MAX_CACHED) {
            TOKENS.clear();
        }
        TOKENS.put(key, new CachedToken(token, Instant.now().plusSeconds(Math.max(0, lifetime - 300))));
        return token;
    }

    /** The token endpoint's answer (JSON with {@code access_token} and {@code expires_in}) for this resource. */
    private byte[] requestToken(String resource) throws IOException, InterruptedException {
        if (kind == Kind.MANAGED_IDENTITY) {
            String base = System.getProperty("currents.sops.azure-imds-endpoint", System.getenv("AZURE_POD_IDENTITY_AUTHORITY_HOST"));
            String query = "api-version=2018-02-01&resource=" + java.net.URLEncoder.encode(resource, StandardCharsets.UTF_8)
                    + (clientId == null ? "" : "&client_id=" + java.net.URLEncoder.encode(clientId, StandardCharsets.UTF_8));
            URI uri = URI.create((base == null || base.isBlank() ? IMDS : base.replaceAll("/+$", ""))
                    + "/metadata/identity/oauth2/token?" + query);
            return CloudHttp.get(uri, Map.of("Metadata", "true"), "Azure managed identity", AzureIdentity::error);
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("client_id", clientId);
        form.put("scope", resource + "/.default");
        URI endpoint = URI.create(authorityHost + tenantId + "/oauth2/v2.0/token");
        switch (kind) {
            case CLIENT_SECRET -> form.put("client_secret", secret);
            case CLIENT_CERTIFICATE -> {
                form.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
                form.put("client_assertion", certificateAssertion(endpoint));
            }
            case WORKLOAD_IDENTITY -> {
                form.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
                form.put("client_assertion", assertion.get());
            }
            default -> throw new IllegalStateException(kind.name());
        }
        return CloudHttp.postForm(endpoint, CloudHttp.form(form), Map.of(), "Azure's token endpoint", AzureIdentity::error);
    }

    /** A client assertion signed with the certificate's key, as Entra ID takes it from a certificate credential. */
    private String certificateAssertion(URI endpoint) throws IOException {
        List<X509CertificateHolder> chain = new ArrayList<>();
        PrivateKey key = null;
        try (PEMParser pem = new PEMParser(new StringReader(certificate))) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            char[] password = certificatePassword == null ? new char[0] : certificatePassword.toCharArray();
            for (Object object = pem.readObject(); object != null; object = pem.readObject()) {
                if (object instanceof X509CertificateHolder holder) {
                    chain.add(holder);
                } else if (object instanceof PrivateKeyInfo info) {
                    key = converter.getPrivateKey(info);
                } else if (object instanceof PEMKeyPair pair) {
                    key = converter.getKeyPair(pair).getPrivate();
                } else if (object instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                    key = converter.getPrivateKey(encrypted.decryptPrivateKeyInfo(
                            new JceOpenSSLPKCS8DecryptorProviderBuilder().build(password)));
                } else if (object instanceof PEMEncryptedKeyPair encrypted) {
                    key = converter.getKeyPair(encrypted.decryptKeyPair(new JcePEMDecryptorProviderBuilder().build(password))).getPrivate();
                }
            }
        } catch (Exception e) {
            // Never echo the PEM or the password.
            throw new IOException("the clientCertificate of the " + SOPS_ENTRY + " entry cannot be read: "
                    + e.getClass().getSimpleName());
        }
        if (key == null || chain.isEmpty()) {
            throw new IOException("the clientCertificate of the " + SOPS_ENTRY
                    + " entry needs a PEM certificate and its private key");
        }
        try {
            JwtClaims claims = new JwtClaims();
            claims.setAudience(endpoint.toString());
            claims.setIssuer(clientId);
            claims.setSubject(clientId);
            claims.setJwtId(UUID.randomUUID().toString());
            claims.setNotBeforeMinutesInThePast(1);
            claims.setIssuedAtToNow();
            claims.setExpirationTimeMinutesInTheFuture(10);
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setKey(key);
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
            jws.setHeader("x5t", java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-1").digest(chain.get(0).getEncoded())));
            if (sendChain) {
                List<String> x5c = new ArrayList<>();
                for (X509CertificateHolder holder : chain) {
                    x5c.add(java.util.Base64.getEncoder().encodeToString(holder.getEncoded()));
                }
                jws.getHeaders().setObjectHeaderValue("x5c", x5c);
            }
            return jws.getCompactSerialization();
        } catch (JoseException | NoSuchAlgorithmException e) {
            throw new IOException("failed to sign the client assertion with the clientCertificate's key: " + e.getClass().getSimpleName());
        }
    }

    /** The error message of an answer of Azure (Entra ID's token endpoint, ARM, Key Vault), or null. */
    public static String error(byte[] answer) {
        try {
            JsonNode root = JSON.readTree(answer);
            JsonNode message = root.path("error").path("message");
            if (message.isTextual()) {
                return message.asText();
            }
            // Entra ID's token endpoint: {"error": "invalid_client", "error_description": "AADSTS7000215: ..."}
            JsonNode description = root.path("error_description");
            if (description.isTextual()) {
                String text = description.asText();
                int newline = text.indexOf('\n');
                return (newline < 0 ? text : text.substring(0, newline)).strip();
            }
            return root.path("error").isTextual() ? root.path("error").asText() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String first(Map<String, String> fields, String... names) {
        for (String name : names) {
            String value = fields.get(name);
            if (value != null && !value.isBlank()) {
                return value.strip();
            }
        }
        return null;
    }
}
