package io.currents.notification.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.currents.api.notification.v1.OIDCProvider;
import io.currents.api.notification.v1.Receiver;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Checks that a webhook call is genuine for the Receiver's type, as Flux does, and says what the resource filters see:
 * <ul>
 *   <li>{@code generic}: the secret path is enough; {@code generic-hmac}: {@code X-Signature: sha1|sha256|sha512=<hex>};</li>
 *   <li>{@code generic-oidc}: an {@code Authorization: Bearer} OIDC token of one of {@code spec.oidcProviders}, verified, then
 *   its variables and validations (CEL over the claims) evaluated; the claims go to the filters;</li>
 *   <li>{@code github} (Gitea too, which signs the same way): {@code X-Hub-Signature-256} (or {@code X-Hub-Signature}) of
 *   the body, JSON or form-encoded ({@code payload=}), {@code spec.events} on {@code X-GitHub-Event};</li>
 *   <li>{@code gitlab}: {@code X-Gitlab-Token}, events on {@code X-Gitlab-Event}; {@code bitbucket} (Server/Data Center):
 *   {@code X-Hub-Signature}, events on {@code X-Event-Key}; {@code harbor}: {@code Authorization} equal to the token;</li>
 *   <li>{@code nexus}: {@code X-Nexus-Webhook-Signature}, the hex HMAC-SHA1 of the body; {@code quay}, {@code dockerhub},
 *   {@code acr}: a payload of their shape; {@code gcr}: a Google-signed ID token for the Secret's {@code email} and
 *   {@code audience} (CVE-2026-40109's fix), the Pub/Sub push envelope unwrapped; {@code cdevents}: a CDEvent of spec
 *   v0.4, events on {@code Ce-Type}.</li>
 * </ul>
 * Any failure is a {@link Refused} with Flux's answer, 400.
 */
final class WebhookValidation {

    /** A genuine call: the OIDC claims (generic-oidc only) and the body the filters read as {@code req}. */
    record Validated(Map<String, Object> claims, byte[] body) {
    }

    /** A call refused with an HTTP status and a message for the log. */
    static final class Refused extends Exception {
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** What a check may need besides the call: the Secret's data and the token verifiers. */
    record Context(String token, Map<String, String> secret, OidcTokens oidc, String googleCertsUrl) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CDEVENT_TYPE = Pattern.compile("dev\\.cdevents\\.[a-z]+\\.[a-z]+\\.0\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?");

    private WebhookValidation() {
    }

    static Validated validate(Receiver receiver, Context context, Function<String, String> header, byte[] body) throws Refused {
        List<String> events = receiver.getSpec().getEvents();
        String token = context.token();
        switch (receiver.getSpec().getType()) {
            case Receiver.TYPE_GENERIC:
                return new Validated(null, body);
            case Receiver.TYPE_GENERIC_OIDC:
                return new Validated(oidc(receiver, context, header), body);
            case Receiver.TYPE_GENERIC_HMAC: {
                String signature = header.apply("X-Signature");
                if (signature == null || !signatureMatches(signature, body, token)) {
                    throw new Refused(400, "unable to validate HMAC signature");
                }
                return new Validated(null, body);
            }
            case Receiver.TYPE_GITHUB: {
                byte[] payload = gitHubPayload(header, body, token, "GitHub");
                requireAllowed(events, header.apply("X-GitHub-Event"), "GitHub event");
                return new Validated(null, payload);
            }
            case Receiver.TYPE_GITLAB: {
                String given = header.apply("X-Gitlab-Token");
                if (given == null || !constantTimeEquals(given, token)) {
                    throw new Refused(400, "the X-Gitlab-Token header value does not match the receiver token");
                }
                requireAllowed(events, header.apply("X-Gitlab-Event"), "GitLab event");
                return new Validated(null, body);
            }
            case Receiver.TYPE_BITBUCKET: {
                byte[] payload = gitHubPayload(header, body, token, "Bitbucket server");
                requireAllowed(events, header.apply("X-Event-Key"), "Bitbucket server event");
                return new Validated(null, payload);
            }
            case Receiver.TYPE_HARBOR: {
                String given = header.apply("Authorization");
                if (given == null || !constantTimeEquals(given, token)) {
                    throw new Refused(400, "the Harbor Authorization header value does not match the receiver token");
                }
                return new Validated(null, body);
            }
            case Receiver.TYPE_DOCKERHUB:
                decode(body, "DockerHub webhook payload", "push_data", "{", "push_data.tag", "s", "repository", "{", "repository.repo_url", "s");
                return new Validated(null, body);
            case Receiver.TYPE_QUAY:
                decode(body, "Quay webhook payload", "docker_url", "s", "updated_tags", "[s");
                return new Validated(null, body);
            case Receiver.TYPE_ACR:
                decode(body, "ACR webhook payload", "action", "s", "target", "{", "target.repository", "s", "target.tag", "s");
                return new Validated(null, body);
            case Receiver.TYPE_NEXUS: {
                String signature = header.apply("X-Nexus-Webhook-Signature");
                if (signature == null || signature.isEmpty()) {
                    throw new Refused(400, "the Nexus signature is missing from header");
                }
                if (!constantTimeEquals(signature, hex("HmacSHA1", token, body))) {
                    throw new Refused(400, "invalid Nexus signature");
                }
                decode(body, "Nexus webhook payload", "action", "s", "repositoryName", "s");
                return new Validated(null, body);
            }
            case Receiver.TYPE_GCR:
                return new Validated(null, gcr(context, header, body));
            case Receiver.TYPE_CDEVENTS: {
                cdevent(body);
                requireAllowed(events, header.apply("Ce-Type"), "CDEvent");
                return new Validated(null, body);
            }
            default:
                throw new Refused(400, "receiver type '" + receiver.getSpec().getType() + "' not supported");
        }
    }

    private static Map<String, Object> oidc(Receiver receiver, Context context, Function<String, String> header) throws Refused {
        List<OIDCProvider> providers = receiver.getSpec().getOidcProviders();
        if (providers == null || providers.isEmpty()) {
            throw new Refused(400, "generic-oidc receiver has no oidcProviders configured");
        }
        String bearer = header.apply("Authorization");
        if (bearer == null || !bearer.startsWith("Bearer ")) {
            throw new Refused(400, "the Authorization header is missing or malformed");
        }
        String token = bearer.substring("Bearer ".length()).trim();
        if (token.isEmpty()) {
            throw new Refused(400, "the Authorization header is missing a bearer token");
        }
        String issuer = OidcTokens.unverifiedIssuer(token);
        OIDCProvider provider = providers.stream().filter(p -> issuer.equals(p.getIssuerURL())).findFirst()
                .orElseThrow(() -> new Refused(400, "no oidcProvider configured for issuer \"" + issuer + "\""));
        String audience = provider.getAudience() == null || provider.getAudience().isEmpty()
                ? ReceiverChecks.DEFAULT_OIDC_AUDIENCE : provider.getAudience();
        Map<String, Object> claims = context.oidc().verifyDiscovered(token, issuer, audience);
        ReceiverChecks.evaluateClaims(provider, claims);
        return claims;
    }

    private static byte[] gcr(Context context, Function<String, String> header, byte[] body) throws Refused {
        String email = context.secret().get("email");
        if (email == null || email.isEmpty()) {
            throw new Refused(400, "invalid secret data: required field 'email' for GCR receiver");
        }
        String audience = context.secret().get("audience");
        if (audience == null || audience.isEmpty()) {
            throw new Refused(400, "invalid secret data: required field 'audience' for GCR receiver");
        }
        String bearer = header.apply("Authorization");
        if (bearer == null || !bearer.startsWith("Bearer ")) {
            throw new Refused(400, "cannot authenticate GCR request: the Authorization header is missing or malformed");
        }
        Map<String, Object> claims = context.oidc().verifyWithKeys(bearer.substring("Bearer ".length()), context.googleCertsUrl(), audience);
        Object issuer = claims.get("iss");
        if (!"accounts.google.com".equals(issuer) && !"https://accounts.google.com".equals(issuer)) {
            throw new Refused(400, "cannot authenticate GCR request: token issuer is '" + issuer
                    + "', want 'accounts.google.com' or 'https://accounts.google.com'");
        }
        if (!email.equals(claims.get("email"))) {
            throw new Refused(400, "cannot authenticate GCR request: token email is '" + claims.get("email") + "', want '" + email + "'");
        }
        if (!Boolean.TRUE.equals(claims.get("email_verified"))) {
            throw new Refused(400, "cannot authenticate GCR request: token email '" + email + "' is not verified");
        }
        JsonNode push = decode(body, "GCR webhook payload", "message", "{", "message.data", "s");
        byte[] data;
        try {
            data = Base64.getDecoder().decode(push.path("message").path("data").asText(""));
        } catch (IllegalArgumentException e) {
            throw new Refused(400, "cannot decode GCR webhook body: message.data is not base64");
        }
        JsonNode event = decode(data, "GCR webhook body", "action", "s", "digest", "s", "tag", "s");
        // the filters see the unwrapped registry event, as Flux puts it in the request body
        var unwrapped = JSON.createObjectNode();
        unwrapped.put("action", event.path("action").asText(""));
        unwrapped.put("digest", event.path("digest").asText(""));
        unwrapped.put("tag", event.path("tag").asText(""));
        try {
            return JSON.writeValueAsBytes(unwrapped);
        } catch (IOException e) {
            throw new Refused(400, "cannot decode GCR webhook body");
        }
    }

    /** A CDEvent of spec 0.4: a context naming a known event type, and a subject with an id and content. */
    private static void cdevent(byte[] body) throws Refused {
        JsonNode event = decode(body, "CDEvent");
        JsonNode context = event.path("context");
        for (String field : new String[]{"specversion", "id", "source", "type", "timestamp"}) {
            if (context.path(field).asText("").isEmpty()) {
                throw new Refused(400, "unable to validate CDEvent event: context." + field + " is required");
            }
        }
        if (!context.path("specversion").asText().startsWith("0.4.")) {
            throw new Refused(400, "unable to validate CDEvent event: spec version " + context.path("specversion").asText() + " is not 0.4");
        }
        if (!CDEVENT_TYPE.matcher(context.path("type").asText()).matches()) {
            throw new Refused(400, "unable to validate CDEvent event: unknown type " + context.path("type").asText());
        }
        JsonNode subject = event.path("subject");
        if (subject.path("id").asText("").isEmpty() || !subject.path("content").isObject()) {
            throw new Refused(400, "unable to validate CDEvent event: subject.id and subject.content are required");
        }
    }

    /** go-github's ValidatePayload: the signature covers the raw body; a form-encoded body carries the JSON as {@code payload}. */
    private static byte[] gitHubPayload(Function<String, String> header, byte[] body, String token, String service) throws Refused {
        String signature = header.apply("X-Hub-Signature-256");
        if (signature == null || signature.isEmpty()) {
            signature = header.apply("X-Hub-Signature");
        }
        if (signature == null || signature.isEmpty()) {
            throw new Refused(400, "the " + service + " signature header is invalid: missing signature");
        }
        String contentType = header.apply("Content-Type") == null ? "" : header.apply("Content-Type").split(";")[0].trim().toLowerCase(Locale.ROOT);
        byte[] payload;
        if (contentType.equals("application/json")) {
            payload = body;
        } else if (contentType.equals("application/x-www-form-urlencoded")) {
            String form = new String(body, StandardCharsets.UTF_8);
            payload = new byte[0];
            for (String pair : form.split("&")) {
                if (pair.startsWith("payload=")) {
                    payload = URLDecoder.decode(pair.substring("payload=".length()), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
                }
            }
        } else {
            throw new Refused(400, "the " + service + " signature header is invalid: webhook request has unsupported Content-Type \"" + contentType + "\"");
        }
        if (!signatureMatches(signature, body, token)) {
            throw new Refused(400, "the " + service + " signature header is invalid: payload signature check failed");
        }
        return payload;
    }

    /**
     * The body as a JSON object; each {@code field, type} pair after {@code what} names a field (dotted path) of the
     * struct Flux decodes the payload into and its JSON type ({@code s} string, <code>{</code> object, {@code [s} array of
     * strings): a value of another type fails Flux's decoding, so it is refused here too (absent or null is fine, as in Go).
     */
    private static JsonNode decode(byte[] body, String what, String... fields) throws Refused {
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (IOException e) {
            throw new Refused(400, "cannot decode " + what + ": invalid JSON");
        }
        if (node == null || !node.isObject()) {
            throw new Refused(400, "cannot decode " + what + ": " + (node == null || node.isMissingNode() ? "empty body" : "not a JSON object"));
        }
        for (int i = 0; i + 1 < fields.length; i += 2) {
            JsonNode value = node.at("/" + fields[i].replace('.', '/'));
            if (value.isMissingNode() || value.isNull()) {
                continue;
            }
            boolean fits = switch (fields[i + 1]) {
                case "s" -> value.isTextual();
                case "{" -> value.isObject();
                case "[s" -> value.isArray() && java.util.stream.StreamSupport.stream(value.spliterator(), false).allMatch(v -> v.isTextual() || v.isNull());
                default -> throw new IllegalArgumentException(fields[i + 1]);
            };
            if (!fits) {
                throw new Refused(400, "cannot decode " + what + ": " + fields[i] + " is a JSON " + value.getNodeType().name().toLowerCase(Locale.ROOT));
            }
        }
        return node;
    }

    private static void requireAllowed(List<String> allowed, String event, String what) throws Refused {
        if (allowed == null || allowed.isEmpty()) {
            return;
        }
        if (event == null || allowed.stream().noneMatch(e -> e.equalsIgnoreCase(event))) {
            throw new Refused(400, "the " + what + " \"" + event + "\" is not authorised");
        }
    }

    /** {@code <algorithm>=<hex>} with sha1, sha256 or sha512, compared in constant time. */
    static boolean signatureMatches(String signature, byte[] body, String key) {
        int eq = signature.indexOf('=');
        if (eq < 0) {
            return false;
        }
        String algorithm = switch (signature.substring(0, eq).toLowerCase(Locale.ROOT)) {
            case "sha1" -> "HmacSHA1";
            case "sha256" -> "HmacSHA256";
            case "sha512" -> "HmacSHA512";
            default -> null;
        };
        if (algorithm == null) {
            return false;
        }
        try {
            byte[] given = HexFormat.of().parseHex(signature.substring(eq + 1).trim().toLowerCase(Locale.ROOT));
            return MessageDigest.isEqual(mac(algorithm, key, body), given);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] mac(String algorithm, String key, byte[] body) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(String algorithm, String key, byte[] body) {
        return HexFormat.of().formatHex(mac(algorithm, key, body));
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
