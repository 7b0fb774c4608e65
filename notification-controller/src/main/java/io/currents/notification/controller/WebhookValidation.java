package io.currents.notification.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.currents.api.notification.v1.Receiver;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Checks that a webhook call is genuine for the Receiver's type, as Flux does: {@code generic} (the secret path is
 * enough), {@code generic-hmac} ({@code X-Signature: sha1|sha256|sha512=<hex>}), {@code github}
 * ({@code X-Hub-Signature-256} or {@code X-Hub-Signature}, {@code ping} accepted, {@code spec.events} filter on
 * {@code X-GitHub-Event}), {@code gitlab} ({@code X-Gitlab-Token}, events on {@code X-Gitlab-Event}), {@code harbor}
 * ({@code Authorization} equal to the token) and {@code dockerhub} (a push payload naming a repository).
 */
final class WebhookValidation {

    /** What to do with a call: reconcile the resources, or answer without doing anything. */
    enum Outcome { RECONCILE, IGNORE }

    /** A call refused with an HTTP status and a message for the caller. */
    static final class Refused extends Exception {
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private WebhookValidation() {
    }

    static Outcome validate(Receiver receiver, String token, Function<String, String> header, byte[] body) throws Refused {
        List<String> events = receiver.getSpec().getEvents();
        switch (receiver.getSpec().getType()) {
            case Receiver.TYPE_GENERIC:
                return Outcome.RECONCILE;
            case Receiver.TYPE_GENERIC_HMAC: {
                String signature = header.apply("X-Signature");
                if (signature == null || !signatureMatches(signature, body, token)) {
                    throw new Refused(401, "invalid or missing X-Signature");
                }
                return Outcome.RECONCILE;
            }
            case Receiver.TYPE_GITHUB: {
                String signature = header.apply("X-Hub-Signature-256");
                if (signature == null) {
                    signature = header.apply("X-Hub-Signature");
                }
                if (signature == null || !signatureMatches(signature, body, token)) {
                    throw new Refused(401, "invalid or missing X-Hub-Signature-256");
                }
                String event = header.apply("X-GitHub-Event");
                if ("ping".equals(event)) {
                    return Outcome.IGNORE;
                }
                requireAllowed(events, event, "GitHub");
                return Outcome.RECONCILE;
            }
            case Receiver.TYPE_GITLAB: {
                String given = header.apply("X-Gitlab-Token");
                if (given == null || !constantTimeEquals(given, token)) {
                    throw new Refused(401, "invalid or missing X-Gitlab-Token");
                }
                requireAllowed(events, header.apply("X-Gitlab-Event"), "GitLab");
                return Outcome.RECONCILE;
            }
            case Receiver.TYPE_HARBOR: {
                String given = header.apply("Authorization");
                if (given == null || !constantTimeEquals(given, token)) {
                    throw new Refused(401, "invalid or missing Authorization header");
                }
                return Outcome.RECONCILE;
            }
            case Receiver.TYPE_DOCKERHUB: {
                try {
                    JsonNode payload = JSON.readTree(body);
                    if (payload == null || payload.path("repository").path("repo_name").asText("").isEmpty()) {
                        throw new Refused(400, "not a Docker Hub push payload: repository.repo_name is missing");
                    }
                } catch (IOException e) {
                    throw new Refused(400, "not a Docker Hub push payload: invalid JSON");
                }
                return Outcome.RECONCILE;
            }
            default:
                throw new Refused(400, "receiver type '" + receiver.getSpec().getType()
                        + "' is not implemented by Currents (see docs/notification-controller.md)");
        }
    }

    private static void requireAllowed(List<String> allowed, String event, String service) throws Refused {
        if (allowed == null || allowed.isEmpty()) {
            return;
        }
        if (event == null || allowed.stream().noneMatch(e -> e.equalsIgnoreCase(event))) {
            throw new Refused(400, service + " event '" + event + "' is not allowed for this receiver");
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
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm));
            byte[] expected = mac.doFinal(body);
            byte[] given = HexFormat.of().parseHex(signature.substring(eq + 1).trim().toLowerCase(Locale.ROOT));
            return MessageDigest.isEqual(expected, given);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
