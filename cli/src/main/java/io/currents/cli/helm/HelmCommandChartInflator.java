package io.currents.cli.helm;

import io.currents.kustomize.ChartInflator;
import io.currents.kustomize.KustomizeException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Charts rendered by a {@code helm} program, run as kustomize v5.5 runs it ({@code kubectl kustomize --enable-helm
 * --helm-command CMD}): the same {@code version -c --short}, {@code template} and {@code pull} arguments, with
 * {@code HELM_CONFIG_HOME}, {@code HELM_CACHE_HOME} and {@code HELM_DATA_HOME} in {@code helmGlobals.configHome} or
 * else a directory of this build. Unlike
 * the bundled helm-java, a Helm binary takes {@code --api-versions}, so {@code apiVersions} work this way.
 */
public final class HelmCommandChartInflator implements ChartInflator {
    private static final Pattern VERSION = Pattern.compile("v?\\d+(\\.\\d+)+");

    private final String command;
    private final Path configHome;
    private final Duration timeout;
    private final long maxOutputBytes;

    /**
     * @param command        the program: a path or a name looked up on the PATH
     * @param configHome     Helm's configuration, cache and data directory for this build
     * @param timeout        longest one run of the program may take
     * @param maxOutputBytes largest output read from one run
     */
    public HelmCommandChartInflator(String command, Path configHome, Duration timeout, long maxOutputBytes) {
        this.command = command;
        this.configHome = configHome;
        this.timeout = timeout;
        this.maxOutputBytes = maxOutputBytes;
    }

    @Override
    public String version() {
        String out = run(List.of("version", "-c", "--short"), null);
        Matcher m = VERSION.matcher(out);
        if (!m.find()) {
            throw new KustomizeException("cannot find version string in " + out);
        }
        return m.group().startsWith("v") ? m.group().substring(1) : m.group();
    }

    @Override
    public String template(TemplateRequest r) {
        List<String> args = new ArrayList<>(List.of("template"));
        if (r.releaseName() != null) {
            args.add(r.releaseName());
        } else {
            args.add("--generate-name");
        }
        args.add(r.chartDir().toString());
        if (r.namespace() != null) {
            args.addAll(List.of("--namespace", r.namespace()));
        }
        if (r.nameTemplate() != null) {
            args.addAll(List.of("--name-template", r.nameTemplate()));
        }
        for (Path values : r.valuesFiles()) {
            args.addAll(List.of("-f", values.toString()));
        }
        for (String apiVersion : r.apiVersions()) {
            args.addAll(List.of("--api-versions", apiVersion));
        }
        if (r.kubeVersion() != null) {
            args.addAll(List.of("--kube-version", r.kubeVersion()));
        }
        if (r.includeCrds()) {
            args.add("--include-crds");
        }
        if (r.skipTests()) {
            args.add("--skip-tests");
        }
        if (r.skipHooks()) {
            args.add("--no-hooks");
        }
        if (r.debug()) {
            args.add("--debug");
        }
        return run(args, r.configHome());
    }

    @Override
    public void pull(PullRequest r) {
        List<String> args = new ArrayList<>(List.of("pull", "--untar", "--untardir", r.untarDir().toString()));
        if (r.repo().startsWith("oci://")) {
            args.add((r.repo().endsWith("/") ? r.repo().substring(0, r.repo().length() - 1) : r.repo()) + "/" + r.chart());
        } else {
            args.addAll(List.of("--repo", r.repo(), r.chart()));
        }
        if (r.version() != null) {
            args.addAll(List.of("--version", r.version()));
        }
        run(args, r.configHome());
    }

    /** Runs the program; {@code home} is the chart's {@code helmGlobals.configHome}, null for this build's. */
    private String run(List<String> args, Path home) {
        List<String> commandLine = new ArrayList<>();
        commandLine.add(command);
        commandLine.addAll(args);
        String shown = "'" + String.join(" ", commandLine) + "'";
        ProcessBuilder pb = new ProcessBuilder(commandLine);
        Path configHome = home == null ? this.configHome : home;
        Map<String, String> env = pb.environment();
        env.put("HELM_CONFIG_HOME", configHome.toString());
        env.put("HELM_CACHE_HOME", configHome + "/.cache");
        env.put("HELM_DATA_HOME", configHome + "/.data");
        Process p;
        try {
            if (home == null) {
                Files.createDirectories(configHome);
            }
            p = pb.start();
            p.getOutputStream().close();
        } catch (IOException e) {
            throw new KustomizeException("unable to run: " + shown + " (is '" + command + "' installed?): " + e.getMessage(), e);
        }
        CompletableFuture<byte[]> stdout = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new KustomizeException("unable to run: " + shown + ": no result within " + timeout.toSeconds() + "s");
            }
            byte[] out = stdout.join();
            byte[] err = stderr.join();
            if (out == null || err == null) {
                throw new KustomizeException("unable to run: " + shown + ": output over " + maxOutputBytes + " bytes");
            }
            if (p.exitValue() != 0) {
                String errors = new String(err, StandardCharsets.UTF_8);
                if (args.contains("--debug")) {
                    errors = " Helm stack trace:\n" + errors + "\nHelm template:\n" + new String(out, StandardCharsets.UTF_8) + "\n";
                }
                throw new KustomizeException(errors + ": unable to run: " + shown + " (is '" + command + "' installed?): exit status "
                        + p.exitValue());
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new KustomizeException("unable to run: " + shown + ": interrupted", e);
        }
    }

    /** The whole stream, or null past the limit (the rest is drained so that the program is not blocked). */
    private byte[] read(InputStream in) {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            boolean over = false;
            for (int n; (n = in.read(buffer)) > 0; ) {
                if (!over && out.size() + n <= maxOutputBytes) {
                    out.write(buffer, 0, n);
                } else {
                    over = true;
                }
            }
            return over ? null : out.toByteArray();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
