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
        InstallManifests.Options options = components.options(kube.namespace()).withShards(shards);
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
            refuseBootstrapped(kube.client());
            components.confirmOverride(kube.client(), spec.commandLine().getErr());
            Installer installer = new Installer(kube.client(), progress, out);
            installer.apply(manifests.objects(), timeout);
            progress.success("install completed");
            components.applyImagePullSecret(kube.client(), options.namespace(), progress);
            installer.waitForControllers(options.namespace(), options.components(), timeout);
            progress.success("install finished");
            return ExitCodes.OK;
        } finally {
            kube.close();
        }
    }

    /**
     * flux's refusal to install over a bootstrapped cluster: kustomize-controller labels what it applies with the owner labels of
     * its Kustomization ({@code kustomize.toolkit.fluxcd.io/name}, {@code /namespace}), so when the GitRepository CRD carries them
     * the toolkit is managed from Git and an {@code install} would be reverted (or fight the sync); upgrade with bootstrap instead.
     * As in flux, {@code --force} does not skip this check (it only skips the managed-by question).
     */
    static void refuseBootstrapped(io.fabric8.kubernetes.client.KubernetesClient client) {
        var crd = client.apiextensions().v1().customResourceDefinitions().withName("gitrepositories.source.toolkit.fluxcd.io").get();
        if (crd == null || crd.getMetadata().getLabels() == null) {
            return;
        }
        var labels = crd.getMetadata().getLabels();
        if (labels.containsKey("kustomize.toolkit.fluxcd.io/name") || labels.containsKey("kustomize.toolkit.fluxcd.io/namespace")) {
            throw new CliException("this cluster has already been bootstrapped with Currents "
                    + labels.getOrDefault(InstallManifests.VERSION_LABEL, "") + "! Please use 'currents bootstrap' to upgrade");
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
        private static final List<String> LOG_LEVELS = List.of("debug", "info", "error");

        @Option(names = {"-v", "--version"}, paramLabel = "<version>",
                description = "Toolkit version: the CLI installs the manifests it embeds, so only its own version (or 'latest') is accepted.")
        String version;

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

        @Option(names = "--registry-creds", paramLabel = "<user:password>",
                description = "Container registry credentials in the format 'user:password', requires --image-pull-secret to be set.")
        String registryCredential;

        @Option(names = "--image-pull-secret", paramLabel = "<name>",
                description = "Kubernetes secret name used for pulling the toolkit images from a private registry.")
        String imagePullSecret;

        @Option(names = "--watch-all-namespaces", arity = "0..1", fallbackValue = "true", defaultValue = "true", paramLabel = "<bool>",
                description = "Watch for custom resources in all namespaces; false: only in the namespace the toolkit is installed in (default: true).")
        boolean watchAllNamespaces;

        @Option(names = "--log-level", defaultValue = "info", paramLabel = "debug|info|error", description = "Log level (default: ${DEFAULT-VALUE}).")
        String logLevel;

        @Option(names = "--cluster-domain", defaultValue = InstallManifests.DEFAULT_CLUSTER_DOMAIN, paramLabel = "<domain>",
                description = "Internal cluster domain (default: ${DEFAULT-VALUE}).")
        String clusterDomain;

        @Option(names = "--toleration-keys", split = ",", paramLabel = "<keys>",
                description = "Toleration keys used to schedule the controllers' pods onto nodes with matching taints.")
        List<String> tolerationKeys;

        @Option(names = "--force", description = "Override an existing installation managed by a different tool such as Helm, without asking.")
        boolean force;

        @Option(names = "--manifests", hidden = true, paramLabel = "<dir>",
                description = "A local copy of the manifests/ tree to install instead of the embedded one.")
        java.nio.file.Path manifests;

        @Option(names = "--local-controllers", hidden = true,
                description = "Scale the controller Deployments to zero: the controllers run as local processes (dev up, e2e).")
        boolean localControllers;

        public List<Component> resolved() {
            return Component.resolve(components, extras);
        }

        public boolean localControllers() {
            return localControllers;
        }

        /** The install options of these flags; bad values fail with flux's messages and the usage exit code. */
        public InstallManifests.Options options(String namespace) {
            checkVersion(version);
            if (!LOG_LEVELS.contains(logLevel)) {
                throw new CliException("unsupported log level '" + logLevel + "', must be one of: " + String.join(", ", LOG_LEVELS),
                        ExitCodes.USAGE);
            }
            if (registryCredential != null && imagePullSecret == null) {
                throw new CliException("--registry-creds requires --image-pull-secret to be set", ExitCodes.USAGE);
            }
            if (registryCredential != null && registryCredential.split(":", -1).length != 2) {
                throw new CliException("invalid --registry-creds format, expected 'user:password'", ExitCodes.USAGE);
            }
            if (clusterDomain.isBlank() || !clusterDomain.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
                throw new CliException("--cluster-domain '" + clusterDomain + "' is not a DNS domain", ExitCodes.USAGE);
            }
            var pods = new InstallManifests.PodSettings(clusterDomain, watchAllNamespaces, logLevel, imagePullSecret,
                    tolerationKeys, manifests);
            return new InstallManifests.Options(namespace, resolved(), registry, Version.tag(), networkPolicy, localControllers, 0, pods);
        }

        /**
         * flux's {@code --version}: empty or {@code latest} is this CLI's own version, which it embeds; another version
         * must start with v (flux's rule) and is refused, since nothing is downloaded.
         */
        static void checkVersion(String version) {
            if (version == null || version.isEmpty() || version.equals("latest") || version.equals(Version.tag())) {
                return;
            }
            if (!version.startsWith("v")) {
                throw new CliException("targeted version '" + version + "' must be prefixed with 'v'", ExitCodes.USAGE);
            }
            throw new CliException("targeted version '" + version + "' is not the version this CLI embeds (" + Version.tag()
                    + "); run the currents CLI of " + version + " to install it", ExitCodes.USAGE);
        }

        /**
         * flux's check before installing over an existing installation: when the toolkit's GitRepository CRD is labelled
         * {@code app.kubernetes.io/managed-by} with another tool (Helm, …), ask before taking it over, unless {@code --force}.
         */
        public void confirmOverride(io.fabric8.kubernetes.client.KubernetesClient client, PrintWriter err) {
            if (force) {
                return;
            }
            var crd = client.apiextensions().v1().customResourceDefinitions().withName("gitrepositories.source.toolkit.fluxcd.io").get();
            if (crd == null || crd.getMetadata().getLabels() == null) {
                return;
            }
            String manager = crd.getMetadata().getLabels().getOrDefault("app.kubernetes.io/managed-by", "");
            if (manager.isEmpty() || manager.equals("currents") || manager.equals("flux")) {
                return;
            }
            String installed = crd.getMetadata().getLabels().getOrDefault(InstallManifests.VERSION_LABEL, "");
            err.println("Currents " + installed + " has been installed on this cluster with " + manager + "!");
            if (!io.currents.cli.output.Confirmation.ask(err, "Are you sure you want to override the " + manager + " installation?",
                    "--force")) {
                throw new CliException("installation cancelled");
            }
        }

        /**
         * {@code --registry-creds}: creates or updates the docker-registry Secret {@code --image-pull-secret} in the namespace,
         * for the {@code --registry} host, as flux's install does after applying the manifests.
         */
        public void applyImagePullSecret(io.fabric8.kubernetes.client.KubernetesClient client, String namespace, Progress progress) {
            if (registryCredential == null) {
                return;
            }
            progress.action("generating image pull secret " + imagePullSecret);
            String[] credentials = registryCredential.split(":", 2);
            io.fabric8.kubernetes.api.model.Secret secret = new io.fabric8.kubernetes.api.model.SecretBuilder()
                    .withNewMetadata().withName(imagePullSecret).withNamespace(namespace).endMetadata()
                    .withType("kubernetes.io/dockerconfigjson")
                    .withStringData(java.util.Map.of(".dockerconfigjson",
                            io.currents.cli.ops.create.SecretOciCommand.dockerConfigJson(registry, credentials[0], credentials[1])))
                    .build();
            client.secrets().inNamespace(namespace).resource(secret).createOr(existing -> existing.update());
        }
    }
}
