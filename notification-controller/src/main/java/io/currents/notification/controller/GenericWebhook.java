package io.currents.notification.controller;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.currents.runtime.events.FluxEvent;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * The {@code generic} and {@code generic-hmac} providers: POST the event JSON with a {@code gotk-component} header and
 * the Secret's headers; {@code generic-hmac} adds {@code X-Signature: sha256=<hex HMAC-SHA256 of the body keyed with the
 * token>}; {@code username}/{@code password} in the Secret become basic authentication.
 */
final class GenericWebhook implements Notifier {

    static final String SIGNATURE_HEADER = "X-Signature";

    private final ProviderSettings settings;
    private final Delivery delivery;
    private final ObjectMapper json;
    private final boolean hmac;

    GenericWebhook(ProviderSettings settings, Delivery delivery, ObjectMapper json, boolean hmac) throws DispatchException {
        if (hmac && (settings.token() == null || settings.token().isEmpty())) {
            throw new DispatchException("generic-hmac provider needs a 'token' in the Secret referenced by spec.secretRef");
        }
        this.settings = settings;
        this.delivery = delivery;
        this.json = json;
        this.hmac = hmac;
    }

    @Override
    public void send(FluxEvent event) throws DispatchException, InterruptedException {
        byte[] body;
        try {
            body = json.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new DispatchException("could not encode the event: " + e.getOriginalMessage());
        }
        URI uri;
        try {
            uri = URI.create(settings.address());
        } catch (IllegalArgumentException e) {
            throw new DispatchException("invalid address URL");
        }
        HttpRequest.Builder request = delivery.post(uri, body, settings.headers());
        request.setHeader("gotk-component", event.reportingController() == null ? "" : event.reportingController());
        if (settings.basicUsername() != null && settings.basicPassword() != null) {
            request.setHeader("Authorization", Delivery.basic(settings.basicUsername(), settings.basicPassword()));
        }
        if (hmac) {
            request.setHeader(SIGNATURE_HEADER, "sha256=" + sign(body, settings.token()));
        }
        delivery.send(request.build());
    }

    static String sign(byte[] body, String key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

}
