package io.currents.runtime.identity;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Function;

/**
 * The HTTP calls made to cloud and key services over their REST APIs (Vault transit, GCP KMS, Azure Key Vault, token
 * endpoints and the cluster lookups of EKS, GKE and AKS): bounded in time and size, never following a redirect (a redirect would carry the token elsewhere), with
 * the service's own error message, and never a header value, in a failure.
 */
public final class CloudHttp {

    public static final int MAX_RESPONSE_BYTES = 64 * 1024;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private CloudHttp() {
    }

    /** POSTs a JSON body; the answer's bytes when the status is 200, else an IOException naming the service's error. */
    public static byte[] postJson(URI uri, String body, Map<String, String> headers, String service,
                           Function<byte[], String> errorMessage) throws IOException, InterruptedException {
        return send(request(uri, headers).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), service, errorMessage);
    }

    /** POSTs an {@code application/x-www-form-urlencoded} body. */
    public static byte[] postForm(URI uri, String form, Map<String, String> headers, String service,
                           Function<byte[], String> errorMessage) throws IOException, InterruptedException {
        return send(request(uri, headers).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), service, errorMessage);
    }

    /** A GET. */
    public static byte[] get(URI uri, Map<String, String> headers, String service,
                      Function<byte[], String> errorMessage) throws IOException, InterruptedException {
        return send(request(uri, headers).GET().build(), service, errorMessage);
    }

    /** Standard or URL-safe base64, padded or not. */
    public static byte[] base64(String value, String what) throws IOException {
        String normalized = value.strip().replace('-', '+').replace('_', '/').replace("=", "");
        try {
            return Base64.getDecoder().decode(normalized + "=".repeat((4 - normalized.length() % 4) % 4));
        } catch (IllegalArgumentException e) {
            throw new IOException(what + " is not base64");
        }
    }

    private static HttpRequest.Builder request(URI uri, Map<String, String> headers) throws IOException {
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IOException("invalid address '" + uri + "': only http and https are allowed");
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
        headers.forEach(builder::header);
        return builder;
    }

    private static byte[] send(HttpRequest request, String service, Function<byte[], String> errorMessage)
            throws IOException, InterruptedException {
        HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        byte[] answer;
        try (InputStream in = response.body()) {
            answer = in.readNBytes(MAX_RESPONSE_BYTES + 1);
        }
        if (answer.length > MAX_RESPONSE_BYTES) {
            throw new IOException(service + " answered with more than " + MAX_RESPONSE_BYTES + " bytes");
        }
        if (response.statusCode() != 200) {
            String message = errorMessage.apply(answer);
            throw new IOException(service + " answered " + response.statusCode() + ": "
                    + (message == null || message.isBlank() ? "no error message" : message));
        }
        return answer;
    }

    /** An {@code application/x-www-form-urlencoded} body of these fields, in their order. */
    public static String form(Map<String, String> fields) {
        StringBuilder form = new StringBuilder();
        fields.forEach((k, v) -> {
            if (!form.isEmpty()) {
                form.append('&');
            }
            form.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return form.toString();
    }

    /** The hex SHA-256 of a string: cache keys that never hold a credential. */
    public static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A setting of the controller: the system property, else the environment variable, else the default. */
    public static String setting(String property, String environment, String fallback) {
        String value = System.getProperty(property, System.getenv(environment));
        return (value == null || value.isBlank() ? fallback : value.strip()).replaceAll("/+$", "");
    }

    /** The message of a Google API error answer ({@code {"error": {"message": …}}}), or null. */
    public static String googleError(byte[] answer) {
        try {
            com.fasterxml.jackson.databind.JsonNode message = new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer)
                    .path("error").path("message");
            return message.isTextual() ? message.asText() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The first line of a message (libraries' messages may carry a whole answer). */
    public static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
