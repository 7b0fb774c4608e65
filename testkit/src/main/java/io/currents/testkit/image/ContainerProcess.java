package io.currents.testkit.image;

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
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * An image's entrypoint running from its unpacked root as a container runtime would run it, without one: in its own
 * mount and PID namespaces ({@code unshare}), with the root bind-mounted read-only, fresh {@code tmpfs} volumes where
 * the pod would mount {@code emptyDir}s, {@code /proc}, a minimal {@code /dev}, the image's working directory, and the
 * image's numeric user. The network is the host's, so the process reaches the local control plane on loopback.
 * Needs root (to create the namespaces and mounts), as CI has.
 */
public final class ContainerProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private ContainerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Whether this machine can run images this way: root, and {@code unshare} with {@code --root}/{@code --setuid}. */
    public static boolean supported() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"))
                    && Files.isExecutable(Path.of("/usr/bin/unshare"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** What to run: the image, where it is unpacked, and what the pod adds to it. */
    public record Spec(PulledImage image, Path root, Map<String, String> env, List<String> volumes,
                       Map<String, Path> volumeFiles, Path log) {

        public Spec {
            env = Map.copyOf(env);
            volumes = List.copyOf(volumes);
            volumeFiles = Map.copyOf(volumeFiles);
        }
    }

    /**
     * Starts the image's entrypoint and command with the image's environment overlaid by {@code env}; each path of
     * {@code volumes} (e.g. {@code /tmp}) becomes a writable tmpfs, and each {@code volumeFiles} entry (a path inside
     * one of them) is copied in, readable by the image's user. Output goes to {@code log}.
     */
    public static ContainerProcess start(Spec spec) {
        if (!supported()) {
            throw new IllegalStateException("running an image needs root and util-linux's unshare");
        }
        int[] user = numericUser(spec.image().user());
        List<String> command = spec.image().command();
        if (command.isEmpty()) {
            throw new IllegalStateException(spec.image().reference() + " has neither an entrypoint nor a command");
        }
        try {
            Path root = spec.root().toRealPath();
            StringBuilder script = new StringBuilder("set -e\n");
            // as a runtime does, the mount points exist before the root becomes read-only
            for (String dir : List.of("/proc", "/dev")) {
                Files.createDirectories(root.resolve(dir.substring(1)));
            }
            for (String volume : spec.volumes()) {
                Files.createDirectories(root.resolve(volume.substring(1)));
            }
            String r = quote(root.toString());
            script.append("mount --bind ").append(r).append(' ').append(r).append('\n');
            script.append("mount -o remount,bind,ro ").append(r).append('\n');
            script.append("mount -t proc proc ").append(r).append("/proc\n");
            script.append("mount -t tmpfs -o mode=755,size=1m tmpfs ").append(r).append("/dev\n");
            for (String node : List.of("null", "zero", "full", "random", "urandom")) {
                script.append("touch ").append(r).append("/dev/").append(node)
                        .append(" && mount --bind /dev/").append(node).append(' ').append(r).append("/dev/").append(node).append('\n');
            }
            for (String volume : spec.volumes()) {
                script.append("mount -t tmpfs -o mode=1777 tmpfs ").append(r).append(quote(volume)).append('\n');
            }
            for (Map.Entry<String, Path> file : spec.volumeFiles().entrySet()) {
                String target = r + quote(file.getKey());
                script.append("mkdir -p \"$(dirname ").append(target).append(")\" && cp ").append(quote(file.getValue().toString()))
                        .append(' ').append(target).append(" && chown ").append(user[0]).append(':').append(user[1]).append(' ')
                        .append(target).append(" && chmod 0400 ").append(target).append('\n');
            }
            script.append("exec /usr/bin/unshare --root=").append(r).append(" --wd=").append(quote(spec.image().workingDir()))
                    .append(" --setgid=").append(user[1]).append(" --setuid=").append(user[0]).append(" -- \"$@\"\n");
            List<String> outer = new ArrayList<>(List.of("/usr/bin/unshare", "--mount", "--pid", "--fork", "--kill-child",
                    "--propagation=private", "/bin/sh", "-c", script.toString(), "container"));
            outer.addAll(command);
            ProcessBuilder builder = new ProcessBuilder(outer)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(spec.log().toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            Map<String, String> env = new LinkedHashMap<>(spec.image().env());
            env.putAll(spec.env());
            builder.environment().clear();
            builder.environment().putAll(env);
            if (!env.containsKey("PATH")) {
                builder.environment().put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
            }
            ContainerProcess container = new ContainerProcess(builder.start(), spec.log());
            Runtime.getRuntime().addShutdownHook(new Thread(container::close, "container-stop"));
            return container;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + spec.image().reference(), e);
        }
    }

    /** The image's {@code User} as numbers; a name, or no user (root), is refused as Kubernetes' runAsNonRoot refuses it. */
    static int[] numericUser(String user) {
        if (!user.matches("\\d+(:\\d+)?")) {
            throw new IllegalStateException("the image user '" + user + "' is not a numeric uid[:gid]: runAsNonRoot cannot verify it");
        }
        String[] parts = user.split(":");
        int uid = Integer.parseInt(parts[0]);
        int gid = parts.length > 1 ? Integer.parseInt(parts[1]) : uid;
        if (uid == 0) {
            throw new IllegalStateException("the image runs as root (uid 0)");
        }
        return new int[]{uid, gid};
    }

    /** The process started from the image (inside the namespaces), once it runs. */
    public Optional<ProcessHandle> entrypointProcess() {
        return process.toHandle().descendants().filter(p -> p.info().command().map(c -> !c.endsWith("/sh") && !c.endsWith("/unshare"))
                .orElse(true)).findFirst();
    }

    /** A line of {@code /proc/<pid>/status} of the entrypoint process, e.g. {@code Uid} or {@code Groups}. */
    public Optional<String> status(String field) {
        return entrypointProcess().flatMap(p -> {
            try {
                return Files.readAllLines(Path.of("/proc", Long.toString(p.pid()), "status")).stream()
                        .filter(l -> l.startsWith(field + ":")).map(l -> l.substring(field.length() + 1).strip()).findFirst();
            } catch (IOException e) {
                return Optional.empty();
            }
        });
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** Stops the entrypoint with SIGTERM (as the kubelet does), then SIGKILL after ten seconds. */
    @Override
    public void close() {
        List<ProcessHandle> all = new ArrayList<>(process.toHandle().descendants().toList());
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        for (ProcessHandle p : all) {
            try {
                p.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
