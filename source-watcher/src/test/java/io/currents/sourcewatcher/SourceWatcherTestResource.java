package io.currents.sourcewatcher;

import io.currents.testkit.ControlPlane;
import io.currents.testkit.ControlPlaneTestResource;

import java.util.HashMap;
import java.util.Map;

/** Runs source-watcher under test against the shared control plane, serving its artifacts on a free port. */
public class SourceWatcherTestResource extends ControlPlaneTestResource {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        int port = ControlPlane.freePort();
        config.put("quarkus.http.test-port", Integer.toString(port));
        config.put("storage-adv-addr", "127.0.0.1:" + port);
        config.put("quarkus.management.test-port", Integer.toString(ControlPlane.freePort()));
        return config;
    }
}
