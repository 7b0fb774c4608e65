package io.currents.kustomization;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * The controller as {@code currents install --watch-all-namespaces=false} runs it: its Deployment sets
 * {@code QUARKUS_OPERATOR_SDK_NAMESPACES=$(RUNTIME_NAMESPACE)}, which the kubelet expands to the install namespace and
 * Quarkus reads as the operator SDK's global {@code quarkus.operator-sdk.namespaces} (not a per-controller setting).
 */
public class RuntimeNamespaceProfile implements QuarkusTestProfile {

    static final String RUNTIME_NAMESPACE = "ks-runtime-only";
    static final String ENV = "QUARKUS_OPERATOR_SDK_NAMESPACES";
    static final String PROPERTY = "quarkus.operator-sdk.namespaces";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(PROPERTY, RUNTIME_NAMESPACE);
    }
}
