package io.currents.runtime.operator;

import io.currents.testkit.ControlPlane;
import io.currents.testkit.TcpProxy;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The renew deadline holds against a real API server even when the leader's requests hang: the replica reads the Lease
 * through a proxy that a test black-holes, as a network partition does, and its requests time out only after 10s.
 */
@Tag("cluster")
class RenewDeadlineTest {

    static final Duration DEADLINE = Duration.ofSeconds(3);
    static final Duration PERIOD = Duration.ofMillis(500);

    @Test
    void aLeaderCutOffFromTheApiServerLosesTheLeaseAtTheRenewDeadlineThoughItsRequestsHang() throws Exception {
        ControlPlane plane = ControlPlane.shared();
        String ns = plane.createNamespace("renew-deadline");
        KubernetesClient admin = plane.client();
        Config direct = Config.fromKubeconfig(plane.kubeconfigYaml());
        try (TcpProxy path = TcpProxy.start(URI.create(direct.getMasterUrl()).getPort());
             KubernetesClient leader = new KubernetesClientBuilder().withConfig(throughProxy(plane, path)).build()) {
            renew(admin, ns, "me");
            CompletableFuture<Long> lost = new CompletableFuture<>();
            long start = System.nanoTime();
            try (RenewDeadline deadline = new RenewDeadline(() -> leader.leases().inNamespace(ns).withName("lease").get(), "me",
                    DEADLINE, PERIOD, () -> lost.complete(System.nanoTime()))) {
                deadline.start();
                // renewals keep it leading well past the deadline
                while (System.nanoTime() - start < DEADLINE.multipliedBy(2).toNanos()) {
                    renew(admin, ns, "me");
                    Thread.sleep(500);
                }
                assertThat(lost).as("renewed every half second: still leading").isNotDone();

                path.blackHole();
                renew(admin, ns, "me");
                long lastRenewal = System.nanoTime();
                long lostAt = lost.get(DEADLINE.plusSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
                assertThat(Duration.ofNanos(lostAt - lastRenewal)).as("lost within the renew deadline and a retry period, not after a 10s request timeout")
                        .isLessThan(DEADLINE.plus(PERIOD).plusMillis(500));
            }
        }
    }

    @Test
    void anotherHolderEndsTheLeadershipAtTheNextRead() throws Exception {
        ControlPlane plane = ControlPlane.shared();
        String ns = plane.createNamespace("renew-holder");
        KubernetesClient admin = plane.client();
        renew(admin, ns, "me");
        CompletableFuture<Long> lost = new CompletableFuture<>();
        try (RenewDeadline deadline = new RenewDeadline(() -> admin.leases().inNamespace(ns).withName("lease").get(), "me",
                Duration.ofSeconds(30), PERIOD, () -> lost.complete(System.nanoTime()))) {
            deadline.start();
            Thread.sleep(1_000);
            assertThat(lost).isNotDone();
            renew(admin, ns, "other");
            long taken = System.nanoTime();
            assertThat(Duration.ofNanos(lost.get(5, TimeUnit.SECONDS) - taken)).isLessThan(PERIOD.plusSeconds(1));
        }
    }

    private static void renew(KubernetesClient client, String ns, String holder) {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        client.leases().inNamespace(ns).resource(new LeaseBuilder().withNewMetadata().withName("lease").withNamespace(ns).endMetadata()
                .withNewSpec().withHolderIdentity(holder).withLeaseDurationSeconds(15).withAcquireTime(now).withRenewTime(now).endSpec()
                .build()).forceConflicts().serverSideApply();
    }

    private static Config throughProxy(ControlPlane plane, TcpProxy proxy) {
        String yaml = plane.kubeconfigYaml().replaceAll("(server:\\s*\"?https://127\\.0\\.0\\.1:)\\d+", "$1" + proxy.port());
        return Config.fromKubeconfig(yaml);
    }
}
