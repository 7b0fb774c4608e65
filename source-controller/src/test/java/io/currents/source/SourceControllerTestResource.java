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
        int port = ControlPlane.freePort();
        config.put("quarkus.http.test-port", Integer.toString(port));
        config.put("storage-adv-addr", "127.0.0.1:" + port);
        int managementPort = ControlPlane.freePort();
        config.put("quarkus.management.test-port", Integer.toString(managementPort));
        System.setProperty("currents.test.management-port", Integer.toString(managementPort));
        config.put("events-addr", EventSink.start().address());
        // small Bucket limits, so that tests can go over them with a few objects
        config.put("bucket-object-max-size", "64Ki");
        config.put("bucket-max-size", "1Mi");
        return config;
    }
}
