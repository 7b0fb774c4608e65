package io.currents.cli.dev;

import io.currents.cli.dev.ControllerProcess.Controller;
import io.currents.cli.dev.ControllerProcess.Settings;
import io.currents.testkit.ControlPlane;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The JVM options a local controller gets: its module's jvm.options, then the settings' heap bounds or pod limits. */
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
}
