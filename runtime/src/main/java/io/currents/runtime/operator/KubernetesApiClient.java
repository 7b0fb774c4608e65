package io.currents.runtime.operator;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * The controller's Kubernetes client (replacing Quarkus' default one), with Flux's {@code --kube-api-qps} and
 * {@code --kube-api-burst}: when either is set, every request of the controller, the operator SDK's informers
 * included, waits for a token of an {@link ApiRateLimit} bucket first.
 *
 * <p>Unset, the client does not throttle itself: that is what Flux's controllers do against any API server with
 * API Priority and Fairness (on by default since Kubernetes 1.20), where they turn client-side throttling off and
 * leave the flow control to the server. Set, the limit holds whatever the server does.
 */
@Singleton
public class KubernetesApiClient {

    /** Flux's defaults for whichever of the two is not set. */
    static final float DEFAULT_QPS = 50;
    static final int DEFAULT_BURST = 300;

    @ConfigProperty(name = "kube-api-qps")
    Optional<Float> qps;

    @ConfigProperty(name = "kube-api-burst")
    Optional<Integer> burst;

    @Produces
    @ApplicationScoped
    KubernetesClient kubernetesClient(KubernetesSerialization serialization, Config config) {
        return build(serialization, config, qps, burst);
    }

    void close(@Disposes KubernetesClient client) {
        client.close();
    }

    /** A client for {@code config} that sends at most {@code qps} requests a second after a burst of {@code burst}. */
    static KubernetesClient build(KubernetesSerialization serialization, Config config, Optional<Float> qps, Optional<Integer> burst) {
        KubernetesClientBuilder builder = new KubernetesClientBuilder().withKubernetesSerialization(serialization).withConfig(config);
        if (qps.isPresent() || burst.isPresent()) {
            ApiRateLimit limit = new ApiRateLimit(qps.orElse(DEFAULT_QPS), burst.orElse(DEFAULT_BURST));
            builder.withHttpClientBuilderConsumer(http -> http.addOrReplaceInterceptor(ApiRateLimit.NAME, limit));
        }
        return builder.build();
    }
}
