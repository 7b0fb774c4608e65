package io.currents.image;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** The controller as the lockdown overlay runs it: {@code no-cross-namespace-refs=true}. */
public class LockdownProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("no-cross-namespace-refs", "true");
    }
}
