package io.currents.runtime.operator;

import io.currents.testkit.ControlPlane;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code kube-api-qps} and {@code kube-api-burst} hold the controller's client to that rate against a real API server. */
@Tag("cluster")
class KubeApiRateLimitTest {

    private static final int REQUESTS = 25;

    @Test
    void requestsPastTheBurstWaitForTheRate() {
        ControlPlane plane = ControlPlane.shared();
        String ns = plane.createNamespace("api-rate");
        Config config = Config.fromKubeconfig(plane.kubeconfigYaml());

        try (KubernetesClient unlimited = KubernetesApiClient.build(new KubernetesSerialization(), config, Optional.empty(), Optional.empty());
             KubernetesClient limited = KubernetesApiClient.build(new KubernetesSerialization(), config, Optional.of(10f), Optional.of(5))) {
            long free = timeOf(unlimited, ns);
            long throttled = timeOf(limited, ns);
            // 5 requests of burst, then 20 at 10 a second: at least 2 s; without a limit the same requests take far less
            assertThat(throttled).as("25 GETs at qps 10, burst 5 (ms)").isGreaterThanOrEqualTo(1_900);
            assertThat(free).as("25 GETs without a limit (ms)").isLessThan(throttled / 2);
        }
    }

    private static long timeOf(KubernetesClient client, String ns) {
        client.namespaces().withName(ns).get(); // connection set up outside the measurement
        long start = System.nanoTime();
        for (int i = 0; i < REQUESTS; i++) {
            assertThat(client.namespaces().withName(ns).get()).isNotNull();
        }
        return (System.nanoTime() - start) / 1_000_000;
    }
}
