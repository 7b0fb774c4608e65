package io.currents.cli.install;

import io.currents.cli.kube.KubeOptions;
import io.currents.cli.output.CliException;
import io.currents.cli.output.DurationConverter;
import io.currents.cli.output.ExitCodes;
import io.currents.cli.output.Progress;
import io.currents.kustomize.ResourceList;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code currents install}: applies the embedded manifests of the chosen controllers, or prints them. */
@Command(name = "install", sortOptions = false,
        description = "Install or upgrade Currents: CRDs, controllers, RBAC and network policies of the chosen components. "
                + "With --export, print the manifests instead of applying them.")
public final class InstallCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    KubeOptions kube;

    @Mixin
    ComponentOptions components;

    @Option(names = "--export", description = "Print the manifests to standard output instead of applying them.")
    boolean export;

    @Option(names = "--timeout", defaultValue = "5m", converter = DurationConverter.class,
            description = "How long to wait for the controllers to become ready (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--shards", defaultValue = "0", paramLabel = "<n>",
            description = "Also run n shards of source-, kustomize- and helm-controller (Deployments <controller>-shard<i> "
                    + "reconciling the objects labelled sharding.fluxcd.io/key=shard<i>; the main ones take the unlabelled ones).")
    int shards;

    @Override
    public Integer call() {
        if (shards < 0) {
            throw new CliException("--shards must be 0 or more, got " + shards, ExitCodes.USAGE);
        }
        InstallManifests.Options base = components.options(kube.namespace());
        InstallManifests.Options options = new InstallManifests.Options(base.namespace(), base.components(), base.registry(),
                base.version(), base.networkPolicy(), base.localControllers(), shards);
        PrintWriter out = spec.commandLine().getOut();
        if (export) {
            out.print(export(options));
            out.flush();
            return ExitCodes.OK;
        }
        Progress progress = Progress.to(spec.commandLine().getErr());
        try {
            progress.generated("generating manifests");
            ResourceList manifests = InstallManifests.build(options);
            progress.success("manifests build completed");
            progress.action("installing components in " + options.namespace() + " namespace");
            Installer installer = new Installer(kube.client(), progress, out);
            installer.apply(manifests.objects(), timeout);
            progress.success("install completed");
            installer.waitForControllers(options.namespace(), options.components(), timeout);
            progress.success("install finished");
            return ExitCodes.OK;
        } finally {
            kube.close();
        }
    }

    /** The YAML stream {@code --export} prints: a header naming the version and components, then the objects. */
    static String export(InstallManifests.Options options) {
        String header = "---\n# Currents version: " + options.version() + "\n# Components: "
                + options.components().stream().map(Component::id).collect(Collectors.joining(",")) + "\n";
        return header + InstallManifests.build(options).toYaml();
    }

    /** The component flags {@code install} and {@code bootstrap} share, named as flux names them. */
    public static final class ComponentOptions {
        @Option(names = "--components", split = ",", paramLabel = "<names>", defaultValue = Component.DEFAULTS,
                description = "Toolkit components to include (default: ${DEFAULT-VALUE}).")
        List<String> components;

        @Option(names = "--components-extra", split = ",", paramLabel = "<names>",
                description = "Extra toolkit components to include: image-automation-controller.")
        List<String> extras;

        @Option(names = "--registry", defaultValue = InstallManifests.DEFAULT_REGISTRY, paramLabel = "<registry>",
                description = "Container registry to pull the controller images from (default: ${DEFAULT-VALUE}).")
        String registry;

        @Option(names = "--network-policy", arity = "0..1", fallbackValue = "true", defaultValue = "true",
                paramLabel = "<bool>", description = "Deny ingress to the controllers from other namespaces (default: true).")
        boolean networkPolicy;

        @Option(names = "--local-controllers", hidden = true,
                description = "Scale the controller Deployments to zero: the controllers run as local processes (dev up, e2e).")
        boolean localControllers;

        public List<Component> resolved() {
            return Component.resolve(components, extras);
        }

        public boolean localControllers() {
            return localControllers;
        }

        public InstallManifests.Options options(String namespace) {
            return new InstallManifests.Options(namespace, resolved(), registry, Version.tag(), networkPolicy, localControllers);
        }
    }
}
