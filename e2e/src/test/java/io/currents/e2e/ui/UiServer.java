package io.currents.e2e.ui;

import io.currents.cli.dev.ControllerProcess;
import io.currents.cli.dev.DevUi;
import io.currents.testkit.ControlPlane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The UI's packaged application ({@code ui/target/quarkus-app}) run as a process against the shared control plane,
 * started by the same launcher as {@code currents dev up}, in token-login mode: whoever signs in with the token acts
 * in Kubernetes as {@code user} with {@code groups}, through impersonation by the control plane's administrator.
 */
final class UiServer implements AutoCloseable {

    private final ControllerProcess process;
    private final String token;

    private UiServer(ControllerProcess process, String token) {
        this.process = process;
        this.token = token;
    }

    static UiServer start(String user, String groups) {
        ControlPlane plane = ControlPlane.shared();
        Path root = ControlPlane.projectRoot();
        try {
            Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target", "e2e").toAbsolutePath()), "ui");
            String token = DevUi.newToken();
            ControllerProcess process = ControllerProcess.start(ControllerProcess.Controller.UI,
                    ControllerProcess.Settings.of(root, plane.kubeconfigPath(), "currents-system", work)
                            .withEnvironment(DevUi.environment(token, user, groups)));
            UiServer server = new UiServer(process, token);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "ui-stop"));
            process.awaitReady(Duration.ofMinutes(3)); // a loaded CI machine: the controllers get 2
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + process.httpPort() + path;
    }

    String token() {
        return token;
    }

    Path log() {
        return process.log();
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(5));
    }
}
