package io.currents.notification.controller;

import io.currents.runtime.events.FluxEvent;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The {@code matrix} provider: an {@code m.room.message} text event sent with the client-server API
 * ({@code PUT <homeserver>/_matrix/client/r0/rooms/<room>/send/m.room.message/<txnId>}) to the room in
 * {@code spec.channel}, with the access token as {@code Authorization: Bearer}. The transaction id is the SHA-1 of the
 * event, so that a retried send is not posted twice.
 */
final class MatrixMessage implements Notifier {

    private final ProviderSettings settings;
    private final Delivery delivery;
    private final String server;

    MatrixMessage(ProviderSettings settings, Delivery delivery) throws DispatchException {
        this.settings = settings;
        this.delivery = delivery;
        String s = settings.requireUrl("Matrix homeserver URL").toString();
        this.server = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    @Override
    public void send(FluxEvent event) throws DispatchException, InterruptedException {
        String txn;
        try {
            txn = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(delivery.json.writeValueAsBytes(event)));
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new DispatchException("unable to generate unique tx id: " + e.getMessage());
        }
        StringBuilder metadata = new StringBuilder();
        for (Map.Entry<String, String> e : Notifier.metadata(event).entrySet()) {
            metadata.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        }
        String body = (Notifier.isError(event) ? "🚨" : "💫") + " " + Notifier.objectName(event) + "\n"
                + (event.message() == null ? "" : event.message()) + "\n" + metadata;
        var payload = delivery.json.createObjectNode().put("body", body).put("msgtype", "m.text");
        URI uri;
        try {
            uri = URI.create(server + "/_matrix/client/r0/rooms/" + (settings.channel() == null ? "" : settings.channel())
                    + "/send/m.room.message/" + txn);
        } catch (IllegalArgumentException e) {
            throw new DispatchException("invalid Matrix room id in spec.channel");
        }
        delivery.send(delivery.json("PUT", uri, payload)
                .header("Authorization", "Bearer " + (settings.token() == null ? "" : settings.token())).build());
    }
}
