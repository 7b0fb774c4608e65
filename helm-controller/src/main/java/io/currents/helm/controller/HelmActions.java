package io.currents.helm.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.UninstallCommand;
import com.marcnuri.helm.UpgradeCommand;
import io.currents.api.helm.v2.Install;
import io.currents.api.helm.v2.Upgrade;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

/**
 * The Helm actions of a release, run by Helm v3 itself (helm-java) against one cluster through a kubeconfig
 * file, so releases are stored as the helm CLI stores them. Rollback, which helm-java lacks, is an upgrade to
 * a chart rebuilt from the target version's stored manifest and values (see {@link #rollback}).
 */
final class HelmActions {

    /** A Helm action that failed; the message is Helm's. */
    static final class HelmFailure extends Exception {
        HelmFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Path kubeconfig;
    private final Path workDir;
    private final String releaseName;
    private final String namespace;
    private final ReleaseStorage storage;
    private RenderedChart rendering;
    private boolean pollerWait;

    /** Helm runs in {@code namespace} (the release namespace); its records live in {@code storage}. */
    HelmActions(Path kubeconfig, Path workDir, String releaseName, String namespace, ReleaseStorage storage) {
        this.kubeconfig = kubeconfig;
        this.workDir = workDir;
        this.releaseName = releaseName;
        this.namespace = namespace;
        this.storage = storage;
    }

    /**
     * With Flux's poller wait strategy Helm does not wait itself: the caller polls the objects afterwards
     * ({@link ReleaseWait}). Rollbacks keep Helm's wait.
     */
    HelmActions withPollerWait(boolean poller) {
        this.pollerWait = poller;
        return this;
    }

    /** Renders charts and changes the output before Helm applies it, when the spec asks for it (post-renderers, ...). */
    HelmActions withRendering(RenderedChart rendering) {
        this.rendering = rendering;
        return this;
    }

    /** The chart Helm is given: the artifact, or its rendered and post-rendered form when the spec changes the output. */
    private Path chartToApply(Path chart, Path valuesFile, boolean disableHooks, boolean disableSchemaValidation,
                              io.currents.api.helm.v2.HelmReleaseSpec spec) throws HelmFailure {
        if (rendering == null || !RenderedChart.needed(spec, disableHooks, disableSchemaValidation)) {
            return chart;
        }
        try {
            return rendering.build(chart, valuesFile, disableHooks, disableSchemaValidation);
        } catch (IOException | RuntimeException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
            throw new HelmFailure(message.startsWith("error while running post render") ? message
                    : "error while rendering the chart for post-rendering: " + message, e);
        }
    }

    void install(Path chart, ObjectNode values, Install spec, Duration timeout, boolean createNamespace,
                 io.currents.api.helm.v2.HelmReleaseSpec releaseSpec) throws HelmFailure {
        Path valuesFile = writeValues(values);
        chart = chartToApply(chart, valuesFile, spec != null && Boolean.TRUE.equals(spec.getDisableHooks()),
                spec != null && Boolean.TRUE.equals(spec.getDisableSchemaValidation()), releaseSpec);
        InstallCommand install = new Helm(chart).install()
                .withName(releaseName)
                .withNamespace(namespace)
                .withKubeConfig(kubeconfig)
                .withValuesFile(valuesFile)
                .withTimeout(seconds(timeout));
        if ((spec == null || !Boolean.TRUE.equals(spec.getDisableWait())) && !pollerWait) {
            install.waitReady();
        }
        if (createNamespace) {
            install.createNamespace();
        }
        if (spec != null && Boolean.TRUE.equals(spec.getDisableOpenAPIValidation())) {
            install.disableOpenApiValidation();
        }
        if (!ChartCrds.CREATE.equals(installCrds(spec))) {
            // Skip, or CreateReplace which the controller applied itself before the install.
            install.skipCrds();
        }
        if (spec != null && Boolean.TRUE.equals(spec.getReplace())) {
            run(() -> storage.replacing(install::call));
        } else {
            run("install", install::call);
        }
    }

    /** {@code install.crds} as Flux reads it: the deprecated {@code skipCRDs} means Skip, the default is Create. */
    static String installCrds(Install spec) {
        if (spec == null) {
            return ChartCrds.CREATE;
        }
        if (spec.getCrds() != null && !spec.getCrds().isEmpty()) {
            return spec.getCrds();
        }
        return Boolean.TRUE.equals(spec.getSkipCRDs()) ? ChartCrds.SKIP : ChartCrds.CREATE;
    }

    /** {@code upgrade.crds} as Flux reads it: the default is Skip (Helm never touches CRDs on upgrade). */
    static String upgradeCrds(Upgrade spec) {
        return spec == null || spec.getCrds() == null || spec.getCrds().isEmpty() ? ChartCrds.SKIP : spec.getCrds();
    }

    void upgrade(Path chart, ObjectNode values, Upgrade spec, Duration timeout, String description,
                 io.currents.api.helm.v2.HelmReleaseSpec releaseSpec) throws HelmFailure {
        Path valuesFile = writeValues(values);
        if (releaseSpec != null) {
            chart = chartToApply(chart, valuesFile, spec != null && Boolean.TRUE.equals(spec.getDisableHooks()),
                    spec != null && Boolean.TRUE.equals(spec.getDisableSchemaValidation()), releaseSpec);
        }
        UpgradeCommand upgrade = new Helm(chart).upgrade()
                .withName(releaseName)
                .withNamespace(namespace)
                .withKubeConfig(kubeconfig)
                .withValuesFile(valuesFile)
                .withTimeout(seconds(timeout));
        if (spec != null && Boolean.TRUE.equals(spec.getPreserveValues())) {
            upgrade.reuseValues();
        } else {
            upgrade.resetValues();
        }
        if ((spec == null || !Boolean.TRUE.equals(spec.getDisableWait())) && (releaseSpec == null || !pollerWait)) {
            upgrade.waitReady();
        }
        if (spec != null && Boolean.TRUE.equals(spec.getForce())) {
            upgrade.force();
        }
        if (spec != null && Boolean.TRUE.equals(spec.getCleanupOnFail())) {
            upgrade.cleanupOnFail();
        }
        if (spec != null && Boolean.TRUE.equals(spec.getDisableOpenAPIValidation())) {
            upgrade.disableOpenApiValidation();
        }
        if (description != null) {
            upgrade.withDescription(description);
        }
        run("upgrade", upgrade::call);
    }

    void test(Duration timeout) throws HelmFailure {
        run("test", () -> Helm.test(releaseName).withNamespace(namespace).withKubeConfig(kubeconfig).withTimeout(seconds(timeout)).call());
    }

    /**
     * Uninstalls the release and, unless {@code disableWait}, waits up to {@code uninstall.timeout} (else
     * {@code defaultTimeout}) for the objects of {@code latest} to be gone.
     */
    void uninstall(io.currents.api.helm.v2.Uninstall spec, StoredRelease latest,
                   io.fabric8.kubernetes.client.KubernetesClient cluster, Duration defaultTimeout) throws HelmFailure {
        uninstall(spec);
        if (latest == null || (spec != null && Boolean.TRUE.equals(spec.getDisableWait()))) {
            return;
        }
        Duration timeout = io.currents.runtime.reconcile.FluxDuration.parseOr(spec == null ? null : spec.getTimeout(), defaultTimeout);
        try {
            UninstallWait.awaitDeleted(cluster, DriftDetector.objects(latest), timeout);
        } catch (IOException e) {
            throw new HelmFailure("cannot read the manifest of the release: " + e.getMessage(), e);
        }
    }

    private void uninstall(io.currents.api.helm.v2.Uninstall spec) throws HelmFailure {
        boolean keepHistory = spec != null && Boolean.TRUE.equals(spec.getKeepHistory());
        boolean disableHooks = spec != null && Boolean.TRUE.equals(spec.getDisableHooks());
        UninstallCommand uninstall = Helm.uninstall(releaseName).withNamespace(namespace).withKubeConfig(kubeconfig).ignoreNotFound();
        String propagation = spec == null ? null : spec.getDeletionPropagation();
        if (propagation != null && !propagation.isEmpty()) {
            uninstall.withCascade(switch (propagation) {
                case "orphan" -> UninstallCommand.Cascade.ORPHAN;
                case "foreground" -> UninstallCommand.Cascade.FOREGROUND;
                default -> UninstallCommand.Cascade.BACKGROUND;
            });
        }
        if (keepHistory) {
            uninstall.keepHistory();
        }
        if (disableHooks) {
            uninstall.noHooks();
        }
        run("uninstall", uninstall::call);
    }

    /**
     * Returns the release to {@code target}: a new version whose objects are exactly the target's rendered manifest
     * and hooks and whose values are the target's values. The chart Helm records is the target's metadata with one
     * template that emits the stored manifest, so the new version lists the target's chart name and version.
     * Unlike {@code helm rollback}, upgrade hooks (not rollback hooks) of the target run, and the description is
     * "Rollback to N" set on an upgrade.
     */
    void rollback(StoredRelease target, Duration timeout, io.currents.api.helm.v2.Rollback options) throws HelmFailure {
        boolean disableHooks = options != null && Boolean.TRUE.equals(options.getDisableHooks());
        Path chart;
        try {
            chart = Files.createDirectories(workDir.resolve("rollback-" + target.version()).resolve(target.chartName()));
            ObjectNode metadata = target.json().path("chart").path("metadata").deepCopy();
            metadata.remove("dependencies");
            if (!metadata.has("apiVersion")) {
                metadata.put("apiVersion", "v2");
            }
            Files.writeString(chart.resolve("Chart.yaml"), ReleaseValues.toYaml(metadata));
            Files.writeString(chart.resolve("values.yaml"), ReleaseValues.toYaml(target.chartValues()));
            Files.createDirectories(chart.resolve("templates"));
            Files.writeString(chart.resolve("templates").resolve("release.yaml"), "{{ .Files.Get \"release/manifest.yaml\" }}\n");
            StringBuilder manifest = new StringBuilder(target.manifest());
            for (StoredRelease.Hook hook : target.hooks()) {
                // rollback.disableHooks: the target's hooks do not run (its test hooks stay recorded for helm test).
                if (!disableHooks || hook.isTest()) {
                    manifest.append("\n---\n").append(hook.manifest());
                }
            }
            Files.createDirectories(chart.resolve("release"));
            Files.writeString(chart.resolve("release").resolve("manifest.yaml"), manifest.toString());
        } catch (IOException e) {
            throw new HelmFailure("cannot prepare rollback chart: " + e.getMessage(), e);
        }
        JsonNode config = target.config();
        ObjectNode values = config instanceof ObjectNode o ? o : new com.fasterxml.jackson.databind.node.ObjectNode(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance);
        Upgrade spec = new Upgrade();
        if (options != null) {
            spec.setDisableWait(options.getDisableWait());
            spec.setForce(options.getForce());
            spec.setCleanupOnFail(options.getCleanupOnFail());
        }
        upgrade(chart, values, spec, timeout, "Rollback to " + target.version(), null);
    }

    private Path writeValues(ObjectNode values) throws HelmFailure {
        try {
            Path file = Files.createTempFile(workDir, "values-", ".yaml",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, ReleaseValues.toYaml(values));
            return file;
        } catch (IOException e) {
            throw new HelmFailure("cannot write values: " + e.getMessage(), e);
        }
    }

    private interface Call {
        Object call() throws Exception;
    }

    private void run(String action, Call call) throws HelmFailure {
        run(() -> storage.lent(call::call));
    }

    private void run(Call call) throws HelmFailure {
        try {
            call.call();
        } catch (Exception e) {
            String message = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage().strip();
            throw new HelmFailure(message, e);
        } finally {
            // Helm's Go side takes SIGTERM from the JVM when it runs (ShutdownSignals)
            ShutdownSignals.reclaim();
        }
    }

    private static int seconds(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toSeconds()));
    }
}
