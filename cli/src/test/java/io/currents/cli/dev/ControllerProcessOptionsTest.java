package io.currents.cli.dev;

import io.currents.cli.dev.ControllerProcess.Controller;
import io.currents.cli.dev.ControllerProcess.Settings;
import io.currents.testkit.ControlPlane;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JVM options a local controller gets: its module's jvm.options, then the settings' heap bounds or pod limits;
 * and the environment of its module's container.env.
 */
class ControllerProcessOptionsTest {

    final Path root = ControlPlane.projectRoot();
    final Settings settings = Settings.of(root, root.resolve("kubeconfig"), "currents-system", root.resolve("target"));

    @Test
    void devUpBoundsTheHeapOfAControllerWhoseOptionsFollowTheContainerLimit() {
        List<String> file = ControllerProcess.readJvmOptions(root.resolve("source-controller/jvm.options"));

        List<String> options = settings.jvmOptions(Controller.SOURCE);

        assertThat(file).anyMatch(o -> o.startsWith("-XX:MaxRAMPercentage")).noneMatch(o -> o.startsWith("-Xmx"));
        assertThat(options).startsWith(file.toArray(String[]::new)).endsWith("-Xms32m", "-Xmx384m");
    }

    @Test
    void asInPodAddsThePodLimitsAfterTheModulesOptionsAndNoDevHeapBounds() {
        List<String> pod = List.of("-XX:MaxRAM=1024m", "-XX:ActiveProcessorCount=1");

        List<String> source = settings.asInPod(pod).jvmOptions(Controller.SOURCE);
        List<String> kustomize = settings.asInPod(pod).detach().jvmOptions(Controller.KUSTOMIZE);

        assertThat(source).endsWith("-XX:MaxRAM=1024m", "-XX:ActiveProcessorCount=1").doesNotContain("-Xmx384m", "-Xms32m");
        assertThat(kustomize).as("the pod limits survive detach()")
                .startsWith(ControllerProcess.readJvmOptions(root.resolve("kustomize-controller/jvm.options")).toArray(String[]::new))
                .endsWith("-XX:MaxRAM=1024m", "-XX:ActiveProcessorCount=1");
    }

    @Test
    void devUpGivesHelmControllerTheGoMemoryLimitOfItsContainer() {
        // Helm's Go runtime shares the process with the JVM: without GOMEMLIMIT its heap grows to twice the live set
        var file = ControllerProcess.readContainerEnv(root.resolve("helm-controller/container.env"));

        var env = ControllerProcess.environment(Controller.HELM, settings, 1, 2);
        var overridden = ControllerProcess.environment(Controller.HELM,
                settings.withEnvironment(java.util.Map.of("GOMEMLIMIT", "64MiB")), 1, 2);

        assertThat(file).containsKey("GOMEMLIMIT");
        assertThat(file.get("GOMEMLIMIT")).matches("[0-9]+MiB");
        assertThat(env).containsAllEntriesOf(file);
        assertThat(overridden).containsEntry("GOMEMLIMIT", "64MiB");
        assertThat(ControllerProcess.environment(Controller.KUSTOMIZE, settings, 1, 2)).doesNotContainKey("GOMEMLIMIT");
    }
}
