package io.currents.image;

import io.currents.testkit.ControlPlane;
import io.currents.testkit.ControlPlaneTestResource;

import java.util.HashMap;
import java.util.Map;

/** Runs the image-automation-controller under test against the shared control plane, health and metrics on a known port. */
public class ImageControllerTestResource extends ControlPlaneTestResource {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        int managementPort = ControlPlane.freePort();
        config.put("quarkus.management.test-port", Integer.toString(managementPort));
        System.setProperty("currents.test.management-port", Integer.toString(managementPort));
        return config;
    }
}
