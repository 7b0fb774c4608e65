package io.currents.cli.dev;

import io.fabric8.kubernetes.client.Config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The log files of the controllers {@code dev up} runs as local processes ({@code .currents/dev/<controller>.log}), for
 * {@code currents logs} when the cluster it talks to is that environment's.
 */
public final class DevLogs {

    private DevLogs() {
    }

    /** The state directory of the checkout this CLI runs from, if it is one. */
    public static Optional<Path> defaultDirectory() {
        try {
            return Optional.of(DevState.directory(ProjectRoot.find()));
        } catch (IllegalStateException notACheckout) {
            return Optional.empty();
        }
    }

    /**
     * The log file of each controller recorded in {@code dir}'s state, keyed by controller name in start order; empty
     * when no environment was started there or when its API server is not {@code masterUrl} (another cluster).
     */
    public static Map<String, Path> files(Path dir, String masterUrl) {
        Optional<DevState> state = DevState.load(dir);
        if (state.isEmpty() || !Files.isRegularFile(state.get().kubeconfig())) {
            return Map.of();
        }
        String server;
        try {
            server = Config.fromKubeconfig(Files.readString(state.get().kubeconfig())).getMasterUrl();
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        if (!trimSlash(server).equals(trimSlash(masterUrl))) {
            return Map.of();
        }
        Map<String, Path> files = new LinkedHashMap<>();
        for (ControllerProcess.Controller c : ControllerProcess.Controller.values()) {
            Path log = dir.resolve(c.controllerName() + ".log");
            if (state.get().get(c.controllerName() + ".pid") != null && Files.isRegularFile(log)) {
                files.put(c.controllerName(), log);
            }
        }
        return files;
    }

    private static String trimSlash(String url) {
        return url == null ? "" : url.replaceAll("/+$", "");
    }
}
