package io.currents.cli.install;

import io.currents.cli.CommandResult;
import io.currents.cli.output.ExitCodes;
import io.currents.testkit.ControlPlane;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A controller whose image cannot be pulled: {@code install} stops waiting and says which image and what to do, and
 * {@code check} reports it. No kubelet runs here, so the test writes what a kubelet writes into the pod's status.
 */
@Tag("cluster")
class ImagePullFailureTest {

    static final String NS = "pull-failure";
    static final String REGISTRY = "registry.invalid/missing";

    @Test
    void installAndCheckNameTheImageThatCannotBePulledInsteadOfWaitingForIt() throws Exception {
        KubernetesClient client = ControlPlane.shared().client();
        String image = REGISTRY + "/source-controller:" + Version.tag();
        long started = System.nanoTime();
        CompletableFuture<CommandResult> install = CompletableFuture.supplyAsync(() -> CommandResult.onCluster("install", "-n", NS,
                "--components", "source-controller", "--registry", REGISTRY, "--network-policy=false", "--timeout", "10m"));

        // kube-controller-manager creates the pod; the kubelet would then fail to pull and back off
        Pod pod = awaitPod(client, install);
        assertThat(pod.getSpec().getContainers().get(0).getImage()).isEqualTo(image);
        pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Pending").withContainerStatuses(
                new ContainerStatusBuilder().withName("manager").withImage(image).withImageID("").withReady(false).withRestartCount(0)
                        .withNewState().withNewWaiting().withReason("ImagePullBackOff")
                        .withMessage("Back-off pulling image \"" + image + "\"").endWaiting().endState().build()).build());
        client.pods().inNamespace(NS).resource(pod).updateStatus();

        CommandResult r = install.get(3, TimeUnit.MINUTES);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("install stops long before its 10m timeout")
                .isLessThan(Duration.ofMinutes(3));
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err()).contains("✗ source-controller: cannot pull image " + image + " (ImagePullBackOff: Back-off pulling image \""
                        + image + "\")\n")
                .contains("✗ the controllers' images cannot be pulled; push the images to that registry (see docs/images.md) or install "
                        + "with --registry <a registry that has them>");

        CommandResult check = CommandResult.onCluster("check", "-n", NS);
        assertThat(check.code()).as(check.toString()).isEqualTo(ExitCodes.FAILURE);
        assertThat(check.err()).contains("✗ source-controller: deployment not ready (",
                "✗ source-controller: cannot pull image " + image + " (ImagePullBackOff: Back-off pulling image \"" + image + "\")\n",
                "► " + image + "\n",
                "✗ controller images cannot be pulled: push the images to that registry (see docs/images.md) or install with "
                        + "--registry <a registry that has them>\n").endsWith("✗ check failed\n");
    }

    private static Pod awaitPod(KubernetesClient client, CompletableFuture<CommandResult> install) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            if (install.isDone()) {
                throw new AssertionError("install returned before a pod existed: " + install.join());
            }
            List<Pod> pods = client.pods().inNamespace(NS).withLabel("app", "source-controller").list().getItems();
            if (!pods.isEmpty()) {
                return pods.get(0);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("kube-controller-manager created no source-controller pod within 2 minutes");
    }
}
