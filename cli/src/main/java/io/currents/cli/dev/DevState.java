package io.currents.cli.dev;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * What {@code dev up} left running, recorded in {@code .currents/dev/state.properties} of the checkout: process ids,
 * ports, the kubeconfig and the Git URLs, so that {@code dev status} and {@code dev down} find them again.
 */
final class DevState {

    static final String FILE = "state.properties";

    private final Path dir;
    private final Properties values = new Properties();

    private DevState(Path dir) {
        this.dir = dir;
    }

    /** The state directory of a checkout: {@code <root>/.currents/dev}. */
    static Path directory(Path projectRoot) {
        return projectRoot.resolve(".currents").resolve("dev");
    }

    static DevState empty(Path dir) {
        return new DevState(dir);
    }

    /** The recorded state, or empty when no environment was started from this checkout. */
    static Optional<DevState> load(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        DevState state = new DevState(dir);
        try (Reader in = Files.newBufferedReader(file)) {
            state.values.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return Optional.of(state);
    }

    Path dir() {
        return dir;
    }

    Path kubeconfig() {
        return dir.resolve("kubeconfig");
    }

    Path workClone() {
        return dir.resolve("work");
    }

    String get(String key) {
        return values.getProperty(key);
    }

    long pid(String process) {
        String value = values.getProperty(process + ".pid");
        return value == null ? -1 : Long.parseLong(value);
    }

    int port(String key) {
        String value = values.getProperty(key);
        return value == null ? -1 : Integer.parseInt(value);
    }

    /** Records a value and writes the file at once, so that a failed start-up can still be cleaned up. */
    DevState put(String key, Object value) {
        values.setProperty(key, String.valueOf(value));
        save();
        return this;
    }

    void record(ControllerProcess process) {
        String name = process.controller().controllerName();
        values.setProperty(name + ".http-port", Integer.toString(process.httpPort()));
        values.setProperty(name + ".management-port", Integer.toString(process.managementPort()));
        put(name + ".pid", process.pid());
    }

    /** A recorded controller found again, or one whose handle reports it gone. */
    ControllerProcess controller(ControllerProcess.Controller controller) {
        String name = controller.controllerName();
        return ControllerProcess.attach(controller, pid(name), port(name + ".http-port"), port(name + ".management-port"),
                dir.resolve(name + ".log"));
    }

    private void save() {
        try {
            Files.createDirectories(dir);
            try (Writer out = Files.newBufferedWriter(dir.resolve(FILE))) {
                values.store(out, "currents dev up: what runs in the background (read by dev status and dev down)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(FILE), e);
        }
    }

    /** Deletes a directory tree (the state directory on {@code dev down}). */
    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
