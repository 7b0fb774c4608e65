package io.currents.e2e;

import io.currents.cli.dev.ControllerProcess;
import io.currents.cli.install.Component;
import io.currents.cli.install.InstallManifests;
import io.currents.cli.install.Version;
import io.currents.testkit.ControlPlane;
import io.currents.testkit.image.PulledImage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's build command ({@code -Dcurrents.image.registry=…}) pushes an image for every controller and the CLI
 * under the names and tags {@code currents install --registry} and {@code bootstrap git --registry} pull, each built on
 * the base property's image and configured as the Deployments expect: numeric non-root user, {@code /app} as working
 * directory (nothing written to the root), the module's jvm.options as {@code JAVA_TOOL_OPTIONS}, OCI labels, epoch
 * creation time. Prints each image's compressed size.
 */
@Tag("slow")
class ControllerImagesTest {

    static ControllerImages images;

    @BeforeAll
    static void build() {
        images = ControllerImages.shared();
        printSizes();
    }

    @Test
    void theInstallPullsExactlyTheTagsTheBuildPushed() {
        var components = Component.resolve(List.of(Component.DEFAULTS.split(",")), List.of("image-automation-controller"));
        var options = new InstallManifests.Options("currents-system", components, images.registryPath(), Version.tag(), true, false);
        List<String> pulled = new ArrayList<>();
        for (Map<String, Object> object : InstallManifests.build(options).objects()) {
            if ("Deployment".equals(object.get("kind"))) {
                pulled.add(image(object));
            }
        }
        assertThat(pulled).containsExactlyInAnyOrderElementsOf(ControllerImages.CONTROLLERS.stream()
                .map(c -> images.registryPath() + "/" + c + ":" + Version.tag()).toList());
        for (String name : ControllerImages.all()) {
            var manifest = images.registry().manifest(ControllerImages.repository(name), Version.tag());
            assertThat(manifest).as(name + ":" + Version.tag() + " is in the registry").isNotNull();
            assertThat(manifest.digest()).as("the tag points at what the build pushed").isEqualTo(images.digests().get(name));
        }
    }

    @Test
    void everyImageRunsAsNobodyFromAppWithItsModulesJvmOptionsAndTheOciLabels() throws Exception {
        String revision = git("rev-parse", "HEAD");
        String version = Version.number();
        for (String name : ControllerImages.all()) {
            PulledImage image = PulledImage.inspect(images.registry(), ControllerImages.repository(name), Version.tag());
            String module = name.equals(ControllerImages.CLI) ? "cli" : name;
            String jvmOptions = String.join(" ", ControllerProcess.readJvmOptions(ControlPlane.projectRoot().resolve(module).resolve("jvm.options")));
            assertThat(image.user()).as(name).isEqualTo("65534:65534");
            assertThat(image.workingDir()).as(name).isEqualTo("/app");
            assertThat(image.env()).as(name).containsEntry("JAVA_TOOL_OPTIONS", jvmOptions);
            java.nio.file.Path containerEnv = ControlPlane.projectRoot().resolve(module).resolve("container.env");
            if (java.nio.file.Files.isRegularFile(containerEnv)) {
                // helm-controller's Go memory limit: the image's default, as the Deployment's
                assertThat(image.env()).as(name).containsAllEntriesOf(ControllerProcess.readContainerEnv(containerEnv));
            }
            assertThat(image.labels()).as(name).containsEntry("org.opencontainers.image.source", "https://github.com/currents-dev/currents")
                    .containsEntry("org.opencontainers.image.revision", revision)
                    .containsEntry("org.opencontainers.image.version", version)
                    .containsEntry("org.opencontainers.image.title", name);
            assertThat(image.created()).as(name + ": no build time in the image").isEqualTo("1970-01-01T00:00:00Z");
            assertThat(image.layerDigests().get(0)).as(name + " is built on -Dcurrents.image.base").isEqualTo(images.baseLayerDigest());
            if (name.equals(ControllerImages.CLI)) {
                assertThat(image.command()).containsExactly("java", "-cp", "@/app/jib-classpath-file", "io.currents.cli.Currents");
            } else {
                // the Deployments set no command: the image's own starts the controller
                assertThat(image.command()).containsExactly("java", "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                        "-jar", "quarkus-run.jar");
            }
        }
    }

    /** Each image's compressed size (what a node downloads), with and without the base layer. */
    static void printSizes() {
        StringBuilder table = new StringBuilder(String.format("%-30s %10s %10s %10s%n", "image (compressed)", "total MB", "base MB", "own MB"));
        for (String name : ControllerImages.all()) {
            PulledImage image = PulledImage.inspect(images.registry(), ControllerImages.repository(name), Version.tag());
            long base = baseSize();
            table.append(String.format("%-30s %10.1f %10.1f %10.1f%n", name, image.compressedSize() / 1e6, base / 1e6,
                    (image.compressedSize() - base) / 1e6));
        }
        table.append("built in ").append(images.buildTime().toSeconds()).append("s on ").append(images.base()).append('\n');
        System.out.print(table);
        try {
            Files.writeString(Path.of("target", "images", "sizes.txt"), table.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long baseSize() {
        return PulledImage.inspect(images.registry(), "base/java", "21").compressedSize();
    }

    @SuppressWarnings("unchecked")
    private static String image(Map<String, Object> deployment) {
        Map<String, Object> template = (Map<String, Object>) ((Map<String, Object>) deployment.get("spec")).get("template");
        List<Map<String, Object>> containers = (List<Map<String, Object>>) ((Map<String, Object>) template.get("spec")).get("containers");
        return String.valueOf(containers.get(0).get("image"));
    }

    static String git(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(ControlPlane.projectRoot().toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }
}
