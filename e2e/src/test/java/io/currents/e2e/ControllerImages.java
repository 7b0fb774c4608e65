package io.currents.e2e;

import io.currents.cli.install.Version;
import io.currents.testkit.ControlPlane;
import io.currents.testkit.image.JavaBaseImage;
import io.currents.testkit.image.PulledImage;
import io.currents.testkit.registry.OciRegistry;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Every controller's image and the CLI's, built once per test JVM by the README's build command
 * ({@code ./mvnw package -Dcurrents.image.registry=…}) on a Java base made from this machine's JDK
 * ({@link JavaBaseImage}), and pushed to a real registry on loopback. Pulled and unpacked on demand, as a node would.
 */
final class ControllerImages {

    static final List<String> CONTROLLERS = List.of("source-controller", "kustomize-controller", "helm-controller",
            "notification-controller", "image-automation-controller");
    static final String CLI = "currents-cli";
    /** The repository path under the registry, as a user's {@code team} in {@code registry.example/team}. */
    static final String PATH = "currents";

    private static ControllerImages shared;

    private final Path root = ControlPlane.projectRoot();
    private final Path work;
    private final OciRegistry registry;
    private final String base;
    private final String baseLayerDigest;
    private final Duration buildTime;
    private final Map<String, String> digests;
    private final Map<String, PulledImage> pulled = new ConcurrentHashMap<>();
    private final Map<String, Path> unpacked = new ConcurrentHashMap<>();
    private int builds;

    private ControllerImages(Path work, OciRegistry registry, String base, String baseLayerDigest) {
        this.work = work;
        this.registry = registry;
        this.base = base;
        this.baseLayerDigest = baseLayerDigest;
        long started = System.nanoTime();
        this.digests = build(modules(List.copyOf(all())));
        this.buildTime = Duration.ofNanos(System.nanoTime() - started);
    }

    /** The images, built on first use in this JVM. */
    static synchronized ControllerImages shared() {
        if (shared == null) {
            try {
                Path work = Files.createDirectories(Path.of("target", "images").toAbsolutePath());
                OciRegistry registry = OciRegistry.start();
                Runtime.getRuntime().addShutdownHook(new Thread(registry::close, "image-registry-stop"));
                // the base carries the libraries helm-controller's Helm (a Go shared library inside helm-java) links
                JavaBaseImage base = JavaBaseImage.create(List.of(helmNativeLibraryJar()));
                String reference = base.pushTo(registry, "base/java", "21");
                shared = new ControllerImages(work, registry, reference, base.layer().digest());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    /** The controllers and the CLI, by image name. */
    static List<String> all() {
        List<String> all = new ArrayList<>(CONTROLLERS);
        all.add(CLI);
        return all;
    }

    /** What to pass as {@code --registry} (and as {@code -Dcurrents.image.registry}): {@code 127.0.0.1:<port>/currents}. */
    String registryPath() {
        return registry.host() + "/" + PATH;
    }

    OciRegistry registry() {
        return registry;
    }

    /** The repository of an image in the registry, e.g. {@code currents/source-controller}. */
    static String repository(String name) {
        return PATH + "/" + name;
    }

    /** The tag the build pushes and {@code currents install} pulls. */
    static String tag() {
        return Version.tag();
    }

    /** The base image the images were built on ({@code -Dcurrents.image.base}). */
    String base() {
        return base;
    }

    String baseLayerDigest() {
        return baseLayerDigest;
    }

    /** The digest each image was pushed with, by name, as the build wrote it ({@code target/jib-image.digest}). */
    Map<String, String> digests() {
        return digests;
    }

    Duration buildTime() {
        return buildTime;
    }

    /** Pulls an image as a node would (once per JVM): manifest, config and layers, checked against their digests. */
    synchronized PulledImage pull(String name) {
        return pulled.computeIfAbsent(name, n -> PulledImage.pull(registry, repository(n), tag(), work.resolve("pulled").resolve(n)));
    }

    /** The unpacked root of an image, unpacked on first use. */
    Path root(String name, PulledImage image) {
        return unpacked.computeIfAbsent(name, n -> {
            Path dir = work.resolve("roots").resolve(n);
            deleteTree(dir);
            return image.unpack(dir);
        });
    }

    /**
     * Runs the README's build command for {@code modules} (Maven module names) against this registry and base, and
     * returns the pushed digests by image name.
     */
    synchronized Map<String, String> build(List<String> modules) {
        Path log = work.resolve("build-" + (++builds) + ".log");
        List<String> command = new ArrayList<>(List.of(root.resolve("mvnw").toString(), "-B", "--no-transfer-progress",
                "-pl", String.join(",", modules), "package", "-DskipTests",
                "-Dcurrents.image.registry=" + registryPath(), "-Dcurrents.image.base=" + base,
                // the test registry speaks plain HTTP on loopback
                "-Dcurrents.image.insecure=true"));
        try {
            Process process = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!process.waitFor(25, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("the image build did not finish within 25 minutes; see " + log);
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("the image build failed (" + String.join(" ", command) + "); its log " + log + " ends with:\n"
                        + tail(log, 40));
            }
            Map<String, String> pushed = new LinkedHashMap<>();
            for (String module : modules) {
                String name = module.equals("cli") ? CLI : module;
                pushed.put(name, Files.readString(root.resolve(module).resolve("target").resolve("jib-image.digest")).strip());
            }
            return pushed;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The Maven modules of image names. */
    static List<String> modules(List<String> names) {
        return names.stream().map(n -> n.equals(CLI) ? "cli" : n).toList();
    }

    /** helm-java's native library jar, as helm-controller packages it. */
    private static Path helmNativeLibraryJar() throws IOException {
        Path lib = ControlPlane.projectRoot().resolve("helm-controller/target/quarkus-app/lib/main");
        try (Stream<Path> jars = Files.list(lib)) {
            return jars.filter(p -> p.getFileName().toString().startsWith("com.marcnuri.helm-java.linux-amd64-")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("helm-java's native library is not in " + lib
                            + "; build helm-controller first"));
        }
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
