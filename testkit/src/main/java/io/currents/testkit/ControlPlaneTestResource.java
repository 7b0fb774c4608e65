package io.currents.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Points a {@code @QuarkusTest} at the shared control plane: starts it (once per JVM), applies the
 * checked-in CRDs and hands Quarkus the kubeconfig before the application starts.
 */
public class ControlPlaneTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        ControlPlane plane = ControlPlane.shared();
        plane.applyCrds(ControlPlane.projectRoot().resolve("manifests").resolve("crds"));
        String kubeconfig = plane.kubeconfigPath().toString();
        System.setProperty("kubeconfig", kubeconfig);
        System.setProperty("kubernetes.auth.tryKubeConfig", "true");
        return Map.of("quarkus.kubernetes-client.devservices.enabled", "false",
                "currents.test.kubeconfig", kubeconfig);
    }

    @Override
    public void stop() {
        // The control plane is shared by all tests of the JVM and stopped by a shutdown hook.
    }
}
