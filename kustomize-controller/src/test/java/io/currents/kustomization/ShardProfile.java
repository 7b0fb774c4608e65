package io.currents.kustomization;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** The controller as shard1 of a sharded install runs it: Flux's {@code --watch-label-selector=sharding.fluxcd.io/key in (shard1)}. */
public class ShardProfile implements QuarkusTestProfile {

    static final String SELECTOR = "sharding.fluxcd.io/key in (shard1)";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("watch-label-selector", SELECTOR);
    }
}
