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
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loopback servers speaking the wire protocols SOPS key services are called with, for tests where the real
 * services cannot run: HashiCorp Vault's transit engine ({@code /v1/<engine>/encrypt|decrypt/<key>} with an
 * {@code X-Vault-Token}) and AWS KMS's JSON API ({@code TrentService.Encrypt/Decrypt}, requests signed with
 * SigV4 by a known access key). Data keys are sealed with AES-GCM under a key the server holds, so only a call to
 * this server opens them.
 */
public final class KeyServiceServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpServer server;
    private final byte[] masterKey = new byte[32];
    private final String vaultToken;
    private final String awsAccessKeyId;
    private final AtomicInteger decryptions = new AtomicInteger();

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

    private void vault(HttpExchange exchange) throws IOException {
        try (exchange) {
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
            if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 Credential=" + awsAccessKeyId + "/")
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

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
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
