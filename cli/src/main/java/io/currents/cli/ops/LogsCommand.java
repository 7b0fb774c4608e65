package io.currents.cli.ops;

import io.currents.cli.install.InstallManifests;
import io.currents.cli.kube.KubeOptions;
import io.currents.cli.output.CliException;
import io.currents.cli.output.DurationConverter;
import io.currents.cli.output.ExitCodes;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.fabric8.kubernetes.client.dsl.PodResource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code currents logs}: the controllers' JSON log lines, from the newest Pod of each controller Deployment
 * (labelled {@code app.kubernetes.io/part-of=currents}) through the Kubernetes API, filtered by level, kind, name and
 * namespace of the reconciled object and printed in flux's layout, as {@code flux logs} does.
 */
@Command
public final class LogsCommand extends ClusterCommand {

    @Option(names = "--level", paramLabel = "<level>", description = "Only lines of this level: debug, info, warn or error.")
    String level;

    @Option(names = "--kind", paramLabel = "<kind>", description = "Only lines about objects of this kind, e.g. GitRepository.")
    String kind;

    @Option(names = "--name", paramLabel = "<name>", description = "Only lines about the object of this name.")
    String name;

    @Option(names = {"-f", "--follow"}, description = "Stream the logs.")
    boolean follow;

    @Option(names = "--tail", paramLabel = "<lines>", defaultValue = "-1",
            description = "Lines of recent log to read from each controller (default: all).")
    int tail = -1;

    @Option(names = "--flux-namespace", paramLabel = "<namespace>", defaultValue = KubeOptions.DEFAULT_NAMESPACE,
            description = "The namespace the controllers run in (default: ${DEFAULT-VALUE}).")
    String controllersNamespace = KubeOptions.DEFAULT_NAMESPACE;

    @Option(names = {"-A", "--all-namespaces"}, description = "Lines about objects of all namespaces (not only --namespace).")
    boolean allNamespaces;

    @Option(names = "--since", paramLabel = "<duration>", converter = DurationConverter.class,
            description = "Only lines newer than this, e.g. 5s, 2m, 3h.")
    Duration since;

    @Option(names = "--since-time", paramLabel = "<time>", description = "Only lines after this RFC 3339 time.")
    String sinceTime;

    @Option(names = "--dev-dir", hidden = true, paramLabel = "<dir>",
            description = "The state directory of a dev environment (default: .currents/dev of the checkout).")
    java.nio.file.Path devDir;

    @Override
    public Integer call() throws Exception {
        if (since != null && sinceTime != null) {
            throw new CliException("at most one of --since and --since-time may be given", ExitCodes.USAGE);
        }
        if (sinceTime != null) {
            try {
                Instant.parse(sinceTime);
            } catch (RuntimeException e) {
                throw new CliException(sinceTime + " is not a valid (RFC3339) time", ExitCodes.USAGE);
            }
        }
        if (level != null && !List.of("debug", "info", "warn", "error").contains(level.toLowerCase(Locale.ROOT))) {
            throw new CliException("invalid --level '" + level + "'; choose debug, info, warn or error", ExitCodes.USAGE);
        }
        KubernetesClient client = kube.client();
        PrintWriter out = out();
        java.nio.file.Path dir = devDir != null ? devDir : io.currents.cli.dev.DevLogs.defaultDirectory().orElse(null);
        java.util.Map<String, java.nio.file.Path> files = dir == null ? java.util.Map.of()
                : io.currents.cli.dev.DevLogs.files(dir, client.getConfiguration().getMasterUrl());
        if (!files.isEmpty()) {
            // the cluster is a `dev up` environment: its controllers are local processes logging to files, not pods
            return readFiles(files, out);
        }
        List<Pod> pods = pods(client);
        if (follow && pods.size() > 1) {
            ExecutorService threads = Executors.newFixedThreadPool(pods.size());
            try {
                List<Future<Boolean>> streams = new ArrayList<>();
                for (Pod pod : pods) {
                    streams.add(threads.submit(() -> stream(client, pod, out)));
                }
                boolean ok = true;
                for (Future<Boolean> f : streams) {
                    ok &= f.get();
                }
                return ok ? 0 : ExitCodes.FAILURE;
            } finally {
                threads.shutdownNow();
            }
        }
        boolean ok = true;
        for (Pod pod : pods) {
            ok &= stream(client, pod, out);
        }
        if (!ok) {
            throw new CliException("failed to collect logs from all Currents pods");
        }
        return 0;
    }

    /** The lines of the dev environment's controller log files; with --follow, new lines as they are written. */
    private int readFiles(java.util.Map<String, java.nio.file.Path> files, PrintWriter out) throws Exception {
        String namespace = allNamespaces ? null : kube.namespace();
        Instant after = since != null ? Instant.now().minus(since) : sinceTime != null ? Instant.parse(sinceTime) : null;
        List<java.util.concurrent.Callable<Void>> readers = new ArrayList<>();
        for (java.nio.file.Path file : files.values()) {
            readers.add(() -> {
                readFile(file, out, namespace, after);
                return null;
            });
        }
        if (!follow) {
            for (var reader : readers) {
                reader.call();
            }
            return 0;
        }
        ExecutorService threads = Executors.newFixedThreadPool(readers.size());
        try {
            for (Future<Void> f : threads.invokeAll(readers)) {
                f.get();
            }
            return 0;
        } finally {
            threads.shutdownNow();
        }
    }

    /** One log file: its last --tail lines (all by default), then, with --follow, what is appended until interrupted. */
    private void readFile(java.nio.file.Path file, PrintWriter out, String namespace, Instant after) throws IOException {
        byte[] content = java.nio.file.Files.readAllBytes(file);
        long offset = content.length;
        String text = new String(content, StandardCharsets.UTF_8);
        int complete = text.lastIndexOf('\n') + 1;
        List<String> lines = List.of(text.substring(0, complete).split("\n"));
        StringBuilder partial = new StringBuilder(text.substring(complete));
        lines.subList(tail >= 0 ? Math.max(0, lines.size() - tail) : 0, lines.size()).forEach(l -> printLine(l, out, namespace, after));
        while (follow && !Thread.currentThread().isInterrupted()) {
            long size = java.nio.file.Files.size(file);
            if (size < offset) {
                offset = 0; // the file was truncated or replaced (a restarted environment): read it from the start
            }
            if (size > offset) {
                try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ)) {
                    java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate((int) Math.min(size - offset, 1 << 20));
                    offset += channel.read(buffer, offset);
                    partial.append(new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8));
                }
                for (int nl = partial.indexOf("\n"); nl >= 0; nl = partial.indexOf("\n")) {
                    printLine(partial.substring(0, nl), out, namespace, after);
                    partial.delete(0, nl + 1);
                }
                continue;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void printLine(String line, PrintWriter out, String namespace, Instant after) {
        var entry = ControllerLogLine.parse(line);
        if (entry.isPresent() && entry.get().matches(level, kind, name, namespace)
                && (after == null || entry.get().time().map(t -> t.isAfter(after)).orElse(false))) {
            synchronized (out) {
                out.println(entry.get().format());
                out.flush();
            }
        }
    }

    /** The newest Pod of each controller Deployment. */
    List<Pod> pods(KubernetesClient client) {
        List<Pod> pods = new ArrayList<>();
        for (Deployment d : client.apps().deployments().inNamespace(controllersNamespace)
                .withLabel(InstallManifests.PART_OF, "currents").list().getItems()) {
            var labels = d.getSpec().getTemplate().getMetadata().getLabels();
            if (labels == null || labels.isEmpty()) {
                continue;
            }
            client.pods().inNamespace(controllersNamespace).withLabels(labels).list().getItems().stream()
                    .max(Comparator.comparing((Pod p) -> "Running".equals(p.getStatus() == null ? null : p.getStatus().getPhase()))
                            .thenComparing(p -> p.getMetadata().getCreationTimestamp() == null ? "" : p.getMetadata().getCreationTimestamp()))
                    .ifPresent(pods::add);
        }
        if (pods.isEmpty()) {
            throw new CliException("no Currents pods found in namespace \"" + controllersNamespace + "\"; pass --flux-namespace if the "
                    + "controllers run elsewhere");
        }
        pods.sort(Comparator.comparing(p -> p.getMetadata().getName()));
        return pods;
    }

    /** Prints the matching lines of one Pod's log; false (with a message on stderr) when the log cannot be read. */
    private boolean stream(KubernetesClient client, Pod pod, PrintWriter out) {
        PodResource resource = client.pods().inNamespace(controllersNamespace).withName(pod.getMetadata().getName());
        var containers = pod.getSpec().getContainers();
        // the controller's container is named manager, as flux's are
        io.fabric8.kubernetes.client.dsl.ContainerResource log = containers.size() > 1 ? resource.inContainer("manager") : resource;
        return read(log, out, pod);
    }

    private boolean read(io.fabric8.kubernetes.client.dsl.ContainerResource log, PrintWriter out, Pod pod) {
        io.fabric8.kubernetes.client.dsl.TailPrettyLoggable loggable = log;
        if (since != null) {
            loggable = log.sinceSeconds((int) Math.max(1, Math.round(since.toMillis() / 1000.0)));
        } else if (sinceTime != null) {
            loggable = log.sinceTime(sinceTime);
        }
        io.fabric8.kubernetes.client.dsl.Loggable tailed = tail >= 0 ? loggable.tailingLines(tail) : loggable;
        String namespace = allNamespaces ? null : kube.namespace();
        try {
            if (follow) {
                try (LogWatch watch = tailed.watchLog()) {
                    print(new InputStreamReader(watch.getOutput(), StandardCharsets.UTF_8), out, namespace);
                }
            } else {
                // getLog (not getLogReader) reports the API server's refusal, e.g. a Pod without a node
                print(new java.io.StringReader(tailed.getLog()), out, namespace);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            spec.commandLine().getErr().println("✗ failed getting logs of pod " + pod.getMetadata().getName() + ": "
                    + io.currents.cli.output.Errors.describe(e));
            spec.commandLine().getErr().flush();
            return false;
        }
    }

    private void print(Reader reader, PrintWriter out, String namespace) throws IOException {
        BufferedReader lines = new BufferedReader(reader);
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            var entry = ControllerLogLine.parse(line);
            if (entry.isPresent() && entry.get().matches(level, kind, name, namespace)) {
                synchronized (out) {
                    out.println(entry.get().format());
                    out.flush();
                }
            }
        }
    }
}
