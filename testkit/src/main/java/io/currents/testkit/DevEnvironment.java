package io.currents.testkit;

import io.currents.testkit.git.GitHttpServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The local environment of {@code currents dev up}: starts the control plane (the one the tests use),
 * applies the CRDs and serves the Git repositories under {@code <dir>/git} over HTTP, writes
 * {@code <dir>/kubeconfig} and {@code <dir>/git-url}, then runs until it is stopped.
 */
public final class DevEnvironment {

    private DevEnvironment() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: DevEnvironment <state-dir>");
            System.exit(2);
        }
        Path dir = Path.of(args[0]).toAbsolutePath();
        Files.createDirectories(dir.resolve("git"));
        Files.deleteIfExists(dir.resolve("ready"));

        ControlPlane plane = ControlPlane.shared();
        plane.applyCrds(ControlPlane.projectRoot().resolve("manifests").resolve("crds"));
        Files.writeString(dir.resolve("kubeconfig"), plane.kubeconfigYaml());

        GitHttpServer git = GitHttpServer.start(dir.resolve("git"));
        Runtime.getRuntime().addShutdownHook(new Thread(git::close, "git-http-stop"));
        Files.writeString(dir.resolve("git-url"), git.baseUrl());
        Files.writeString(dir.resolve("ready"), "ready\n");
        System.out.println("control plane and Git server ready: KUBECONFIG=" + dir.resolve("kubeconfig") + " git " + git.baseUrl());
        new CountDownLatch(1).await();
    }
}
