package io.currents.notification.controller;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.currents.runtime.events.FluxEvent;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * The {@code generic} and {@code generic-hmac} providers: POST the event JSON with a {@code gotk-component} header and
 * the Secret's {@code headers}; {@code generic-hmac} adds {@code X-Signature: sha256=<hex HMAC-SHA256 of the body keyed
 * with the token>}.
 */
final class GenericWebhook implements Notifier {

    static final String SIGNATURE_HEADER = "X-Signature";

    private final ProviderSettings settings;
    private final Delivery delivery;
    private final URI uri;
    private final boolean hmac;

    GenericWebhook(ProviderSettings settings, Delivery delivery, boolean hmac) throws DispatchException {
        if (hmac && settings.token() == null) {
            throw new DispatchException("HMAC key is empty: generic-hmac needs a 'token' in the Secret referenced by spec.secretRef");
        }
        this.settings = settings;
        this.delivery = delivery;
        this.uri = settings.requireUrl("hook URL");
        this.hmac = hmac;
    }

    @Override
    public void send(FluxEvent event) throws DispatchException, InterruptedException {
        byte[] body;
        try {
            body = delivery.json.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new DispatchException("failed marshalling event: " + e.getOriginalMessage());
        }
        var request = delivery.request("POST", uri, body, "application/json");
        request.setHeader("gotk-component", event.reportingController() == null ? "" : event.reportingController());
        Delivery.withHeaders(request, settings.headers());
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
