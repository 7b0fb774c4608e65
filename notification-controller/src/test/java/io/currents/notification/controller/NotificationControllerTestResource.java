package io.currents.notification.controller;

import io.currents.testkit.ControlPlane;
import io.currents.testkit.ControlPlaneTestResource;

import java.util.HashMap;
import java.util.Map;

/**
 * Runs notification-controller against the shared control plane, its events endpoint on a known free port, and
 * points the runtime's EventRecorder ({@code events-addr}) at that endpoint so a test can emit a real controller
 * event that comes back in through HTTP.
 */
public class NotificationControllerTestResource extends ControlPlaneTestResource {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        int port = ControlPlane.freePort();
        config.put("quarkus.http.test-port", Integer.toString(port));
        config.put("events-addr", "http://127.0.0.1:" + port + "/");
        return config;
    }
}
