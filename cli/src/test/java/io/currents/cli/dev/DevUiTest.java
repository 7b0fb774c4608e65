package io.currents.cli.dev;

import io.currents.cli.dev.ControllerProcess.Controller;
import io.currents.cli.dev.ControllerProcess.Settings;
import io.currents.testkit.ControlPlane;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** How dev up runs the UI: a fresh token each time, readable by its owner only, and the UI's environment as a process. */
class DevUiTest {

    @Test
    void eachDevUpMakesANewTokenKeptReadableByItsOwnerOnly(@TempDir Path dir) throws Exception {
        String token = DevUi.newToken();

        DevUi.saveToken(dir, token);

        assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]+").isNotEqualTo(DevUi.newToken());
        assertThat(Files.readString(DevUi.tokenFile(dir)).strip()).isEqualTo(token);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(DevUi.tokenFile(dir)))).isEqualTo("rw-------");
    }

    @Test
    void theUiRunsInTokenModeOnItsOwnPortsAndPostsNoToolkitEvents() {
        Path root = ControlPlane.projectRoot();
        Settings settings = Settings.of(root, root.resolve("kubeconfig"), "currents-system", root.resolve("target"))
                .withEnvironment(DevUi.environment("t0ken"));

        Map<String, String> env = ControllerProcess.environment(Controller.UI,
                new Settings(settings.projectRoot(), settings.kubeconfig(), settings.runtimeNamespace(), settings.workDir(),
                        settings.jvmOptions(), false, "http://127.0.0.1:1/", settings.environment(), settings.extraJvmOptions()),
                41000, 41001);

        assertThat(env).containsEntry("QUARKUS_HTTP_PORT", "41000").containsEntry("QUARKUS_MANAGEMENT_PORT", "41001")
                .containsEntry("CURRENTS_UI_TOKEN_VALUE", "t0ken").containsEntry("CURRENTS_UI_TOKEN_USER", DevUi.DEV_USER)
                .containsEntry("CURRENTS_UI_TOKEN_GROUPS", DevUi.DEV_GROUP).doesNotContainKey("EVENTS_ADDR");
        assertThat(Controller.UI.jar(root)).isEqualTo(root.resolve("ui/target/quarkus-app/quarkus-run.jar"));
    }
}
