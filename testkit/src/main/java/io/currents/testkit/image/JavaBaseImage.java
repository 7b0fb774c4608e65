package io.currents.testkit.image;

import io.currents.testkit.registry.OciRegistry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A Java runtime base image made from this machine's parts, for image tests without internet or Docker: a
 * {@code jlink} runtime of the running JDK at {@code /opt/java/openjdk} (where eclipse-temurin images keep theirs),
 * the shared libraries it and the given native libraries link against (found with {@code ldd}), a passwd file with
 * {@code nobody} (65534) and empty {@code /tmp}, {@code /dev} and {@code /proc} mount points. One layer, cached under
 * {@code ~/.cache/currents/image-base/} by what it is made of.
 */
public final class JavaBaseImage {

    /**
     * What a headless server JRE carries (eclipse-temurin's JRE has all of these, and more: jdk.localedata's 30 MB of
     * locales no controller formats for).
     */
    public static final List<String> MODULES = List.of("java.se", "jdk.unsupported", "jdk.crypto.ec", "jdk.crypto.cryptoki",
            "jdk.management", "jdk.zipfs", "jdk.naming.dns", "jdk.net", "jdk.charsets");

    public static final String JAVA_HOME = "/opt/java/openjdk";
    private static final String FORMAT = "3";
    private static final Pattern LDD_LINE = Pattern.compile("(?:=>\\s*)?(/\\S+)\\s+\\(0x[0-9a-f]+\\)");

    private final ImageLayer layer;
    private final byte[] config;

    private JavaBaseImage(ImageLayer layer, byte[] config) {
        this.layer = layer;
        this.config = config;
    }

    /**
     * The base image of the running JDK with the libraries that {@code nativeLibraries} (shared objects, or jars that
     * carry them, as helm-java's) need; built once per machine and kept in the cache.
     */
    public static JavaBaseImage create(List<Path> nativeLibraries) {
        Path cacheRoot = Path.of(System.getProperty("user.home"), ".cache", "currents", "image-base");
        Path javaHome = Path.of(System.getProperty("java.home"));
        try {
            List<Path> sharedObjects = sharedObjects(nativeLibraries, Files.createDirectories(cacheRoot));
            Path dir = cacheRoot.resolve(key(javaHome, sharedObjects));
            Path layerFile = dir.resolve("layer.tar.gz");
            Path layerInfo = dir.resolve("layer.properties");
            if (Files.isRegularFile(layerInfo) && Files.isRegularFile(layerFile)) {
                Properties p = new Properties();
                try (InputStream in = Files.newInputStream(layerInfo)) {
                    p.load(in);
                }
                ImageLayer cached = new ImageLayer(layerFile, p.getProperty("digest"), Long.parseLong(p.getProperty("size")),
                        p.getProperty("diffId"));
                return new JavaBaseImage(cached, config(cached));
            }
            Files.createDirectories(dir);
            Path root = Files.createTempDirectory(dir, "root");
            try {
                assemble(javaHome, sharedObjects, root);
                Path partial = Files.createTempFile(dir, "layer", ".tar.gz");
                ImageLayer built;
                try {
                    built = ImageLayer.of(root, partial);
                    Files.move(partial, layerFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(partial);
                }
                built = new ImageLayer(layerFile, built.digest(), built.size(), built.diffId());
                Properties p = new Properties();
                p.setProperty("digest", built.digest());
                p.setProperty("size", Long.toString(built.size()));
                p.setProperty("diffId", built.diffId());
                Path partialInfo = Files.createTempFile(dir, "layer", ".properties");
                try (var out = Files.newOutputStream(partialInfo)) {
                    p.store(out, null);
                }
                Files.move(partialInfo, layerInfo, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return new JavaBaseImage(built, config(built));
            } finally {
                deleteTree(root);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the Java base image", e);
        }
    }

    public ImageLayer layer() {
        return layer;
    }

    /** The image config: the runtime on the PATH, no entrypoint of its own. */
    public byte[] config() {
        return config.clone();
    }

    /** Pushes the image to {@code registry} as {@code repository:tag}; returns the image reference to build on. */
    public String pushTo(OciRegistry registry, String repository, String tag) {
        registry.pushImage(repository, tag, config, List.of(layer));
        return registry.image(repository) + ":" + tag;
    }

    private static byte[] config(ImageLayer layer) {
        return ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Env\":["
                + "\"PATH=" + JAVA_HOME + "/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\","
                + "\"JAVA_HOME=" + JAVA_HOME + "\",\"LANG=C.UTF-8\"]},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + layer.diffId() + "\"]},"
                + "\"history\":[{\"created_by\":\"currents testkit: jlink runtime of " + System.getProperty("java.runtime.version")
                + " and the shared libraries it links\"}]}").getBytes(StandardCharsets.UTF_8);
    }

    private static void assemble(Path javaHome, List<Path> nativeSharedObjects, Path root) throws IOException {
        Path runtime = root.resolve(JAVA_HOME.substring(1));
        Files.createDirectories(runtime.getParent());
        Path jlink = javaHome.resolve("bin").resolve("jlink");
        if (!Files.isExecutable(jlink)) {
            throw new IllegalStateException(jlink + " is missing: the image tests need a JDK (not a JRE) to link a runtime from");
        }
        // no --compress: the layer's gzip shrinks an uncompressed modules file more (35 MB against 43 MB)
        run(List.of(jlink.toString(), "--add-modules", String.join(",", MODULES), "--strip-debug", "--no-header-files",
                "--no-man-pages", "--output", runtime.toString()), null);
        List<Path> elfFiles = new ArrayList<>(nativeSharedObjects);
        try (Stream<Path> files = Files.walk(runtime)) {
            files.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".so") || p.getParent().getFileName().toString().equals("bin"))
                    .forEach(elfFiles::add);
        }
        TreeSet<String> libraries = new TreeSet<>();
        for (Path elf : elfFiles) {
            libraries.addAll(linkedLibraries(elf));
        }
        for (String library : libraries) {
            if (library.startsWith(runtime.toString())) {
                continue;
            }
            Path target = root.resolve(library.substring(1));
            Files.createDirectories(target.getParent());
            Files.copy(Path.of(library), target, StandardCopyOption.REPLACE_EXISTING);
        }
        Path etc = Files.createDirectories(root.resolve("etc"));
        Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/sbin/nologin\n"
                + "nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n");
        Files.writeString(etc.resolve("group"), "root:x:0:\nnogroup:x:65534:\n");
        Files.writeString(etc.resolve("nsswitch.conf"), "passwd: files\ngroup: files\nhosts: files dns\n");
        Files.writeString(etc.resolve("hosts"), "127.0.0.1 localhost\n::1 localhost\n");
        for (String mountPoint : List.of("tmp", "dev", "proc", "root")) {
            Files.createDirectories(root.resolve(mountPoint));
        }
        Files.setPosixFilePermissions(root.resolve("tmp"), PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(root.resolve("root"), PosixFilePermissions.fromString("rwx------"));
    }

    /** The absolute paths {@code ldd} resolves for an ELF file (none for a file that is not dynamically linked). */
    static List<String> linkedLibraries(Path elf) throws IOException {
        List<String> found = new ArrayList<>();
        String output = run(List.of("ldd", elf.toString()), elf.getParent());
        for (String line : output.split("\n")) {
            if (line.contains("not found")) {
                continue; // an optional desktop library (X11, ALSA) a headless server never loads
            }
            Matcher m = LDD_LINE.matcher(line.strip());
            if (m.find()) {
                found.add(m.group(1));
            }
        }
        return found;
    }

    /** The shared objects among {@code nativeLibraries}, those inside jars unpacked under {@code work}. */
    private static List<Path> sharedObjects(List<Path> nativeLibraries, Path work) throws IOException {
        List<Path> objects = new ArrayList<>();
        for (Path library : nativeLibraries) {
            if (!library.getFileName().toString().endsWith(".jar")) {
                objects.add(library);
                continue;
            }
            Path unpacked = Files.createDirectories(work.resolve("native").resolve(library.getFileName().toString()));
            try (ZipFile jar = new ZipFile(library.toFile())) {
                for (ZipEntry entry : java.util.Collections.list(jar.entries())) {
                    if (!entry.isDirectory() && entry.getName().endsWith(".so")) {
                        Path target = unpacked.resolve(Path.of(entry.getName()).getFileName().toString());
                        try (InputStream in = jar.getInputStream(entry)) {
                            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                        }
                        objects.add(target);
                    }
                }
            }
        }
        return objects;
    }

    private static String key(Path javaHome, List<Path> sharedObjects) throws IOException {
        MessageDigest sha = ImageLayer.sha256();
        sha.update((FORMAT + "\n" + javaHome + "\n" + System.getProperty("java.runtime.version") + "\n" + MODULES + "\n")
                .getBytes(StandardCharsets.UTF_8));
        for (Path so : sharedObjects.stream().sorted().toList()) {
            sha.update((so.getFileName() + ":" + Files.size(so) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    }

    private static String run(List<String> command, Path dir) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (dir != null) {
            builder.directory(dir.toFile());
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(command.get(0) + " did not finish within 5 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (process.exitValue() != 0 && !command.get(0).equals("ldd")) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + process.exitValue() + "): " + output);
        }
        return output;
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temporary tree is harmless
        }
    }
}
