package io.currents.helm.controller;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** The controller with a dependency requeue far longer than any test waits: only the dependency watch can wake a dependent in time. */
public class SlowDependencyRequeueProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("requeue-dependency", "10m");
    }
}
