package io.currents.notification.controller;

import io.currents.testkit.ControlPlane;
import io.currents.testkit.ControlPlaneTestResource;

import java.util.HashMap;
import java.util.Map;

/**
 * Runs notification-controller against the shared control plane, its events endpoint on a known free port, and
 * points the runtime's EventRecorder ({@code events-addr}) at that endpoint so a test can emit a real controller
 * event that comes back in through HTTP. The services whose address is the controller's, not the Provider's (Telegram's
 * Bot API, Bitbucket Cloud's API, a Pub/Sub emulator, Google's token signing keys), get free loopback ports that the tests serve them on.
 */
public class NotificationControllerTestResource extends ControlPlaneTestResource {

    /** Ports the controller is configured with, for the tests to start their servers on. */
    static final int TELEGRAM_PORT = ControlPlane.freePort();
    static final int BITBUCKET_PORT = ControlPlane.freePort();
    static final int PUBSUB_PORT = ControlPlane.freePort();
    static final int GOOGLE_CERTS_PORT = ControlPlane.freePort();

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        int port = ControlPlane.freePort();
        config.put("quarkus.http.test-port", Integer.toString(port));
        config.put("events-addr", "http://127.0.0.1:" + port + "/");
        config.put("telegram-api-url", "http://127.0.0.1:" + TELEGRAM_PORT);
        config.put("BITBUCKET_API_BASE_URL", "http://127.0.0.1:" + BITBUCKET_PORT + "/2.0");
        config.put("PUBSUB_EMULATOR_HOST", "127.0.0.1:" + PUBSUB_PORT);
        config.put("gcr-certs-url", "http://127.0.0.1:" + GOOGLE_CERTS_PORT + "/oauth2/v3/certs");
        return config;
    }
}
