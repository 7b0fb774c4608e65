package io.currents.notification.controller;

import io.currents.runtime.events.FluxEvent;
import io.nats.client.AuthHandler;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.NKey;
import io.nats.client.Options;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * The {@code nats} provider: the event JSON published on the subject in {@code spec.channel} of the NATS server in
 * {@code spec.address}, with the NATS Java client, authenticated (in Flux's order) by user credentials (the Secret's
 * {@code creds}: JWT and NKey seed), an NKey seed ({@code nkey}), or {@code username}/{@code password}. A connection is
 * opened per notification, flushed and closed, as Flux does.
 */
final class NatsPublisher implements Notifier {

    private final ProviderSettings settings;
    private final Delivery delivery;
    private final String server;
    private final String subject;

    NatsPublisher(ProviderSettings settings, Delivery delivery) throws DispatchException {
        if (settings.address() == null) {
            throw new DispatchException("NATS server (address) cannot be empty");
        }
        if (settings.channel() == null) {
            throw new DispatchException("NATS subject (channel) cannot be empty");
        }
        this.settings = settings;
        this.delivery = delivery;
        this.server = settings.address();
        this.subject = settings.channel();
    }

    @Override
    public void send(FluxEvent event) throws DispatchException, InterruptedException {
        byte[] payload;
        try {
            payload = delivery.json.writeValueAsBytes(event);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new DispatchException("error json-marshaling event: " + e.getOriginalMessage());
        }
        Duration timeout = settings.timeout();
        Options.Builder options = new Options.Builder()
                .server(server)
                .connectionName("NATS Provider Publisher")
                .connectionTimeout(timeout)
                .noReconnect()
                .maxReconnects(0)
                .errorListener(new io.nats.client.ErrorListener() {
                });
        authenticate(options);
        Connection connection;
        try {
            connection = Nats.connect(options.build());
        } catch (IOException e) {
            throw new DispatchException("error connecting to server: " + e.getMessage(), true);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new DispatchException("error connecting to server: " + e.getMessage());
        }
        try {
            connection.publish(subject, payload);
            connection.flush(timeout);
        } catch (TimeoutException e) {
            throw new DispatchException("error publishing event to subject " + subject + ": no answer within " + timeout.toMillis() + "ms", true);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new DispatchException("error publishing event to subject " + subject + ": " + e.getMessage());
        } finally {
            connection.close();
        }
        String error = connection.getLastError();
        if (error != null && !error.isEmpty()) {
            throw new DispatchException("error publishing message to server: " + error);
        }
    }

    private void authenticate(Options.Builder options) throws DispatchException {
        String creds = settings.secretData().get("creds");
        String nkey = settings.secretData().get("nkey");
        if (creds != null && !creds.isEmpty()) {
            options.authHandler(Nats.staticCredentials(creds.getBytes(StandardCharsets.UTF_8)));
        } else if (nkey != null && !nkey.isEmpty()) {
            NKey key;
            try {
                key = NKey.fromSeed(nkey.trim().toCharArray());
                String publicKey = new String(key.getPublicKey());
                options.authHandler(new AuthHandler() {
                    @Override
                    public byte[] sign(byte[] nonce) {
                        try {
                            return key.sign(nonce);
                        } catch (GeneralSecurityException | IOException e) {
                            throw new IllegalStateException("cannot sign the server's nonce with the NKey");
                        }
                    }

                    @Override
                    public char[] getID() {
                        return publicKey.toCharArray();
                    }

                    @Override
                    public char[] getJWT() {
                        return null;
                    }
                });
            } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
                throw new DispatchException("error parsing nkey seed");
            }
        } else if (settings.username() != null && settings.password() != null) {
            options.userInfo(settings.username(), settings.password());
        }
    }
}
