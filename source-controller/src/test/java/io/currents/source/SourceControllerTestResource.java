package io.currents.source;

import io.currents.testkit.ControlPlane;
import io.currents.testkit.ControlPlaneTestResource;

import java.util.HashMap;
import java.util.Map;

/** Runs the source-controller under test against the shared control plane, serving artifacts on a free port. */
public class SourceControllerTestResource extends ControlPlaneTestResource {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        // The control plane's certificate generation registers Bouncy Castle in this (outer) class
        // loader; sshd inside the application would then be handed that foreign provider and fail
        // to read ed25519 keys ("key spec not recognized"). Without a registered provider, sshd
        // uses its own Bouncy Castle instance, as it does in a deployed controller.
        java.security.Security.removeProvider("BC");
        int port = ControlPlane.freePort();
        config.put("quarkus.http.test-port", Integer.toString(port));
        config.put("storage-adv-addr", "127.0.0.1:" + port);
        return config;
    }
}
