package io.currents.cli.install;

import io.currents.cli.kube.KubeOptions;
import io.currents.cli.output.ExitCodes;
import io.currents.cli.output.Progress;
import io.currents.runtime.apply.Unstructured;
import io.currents.runtime.health.Kstatus;
import io.currents.runtime.health.ObjectStatus;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code currents check [--pre]}: whether the cluster can run Currents (Kubernetes version) and, without
 * {@code --pre}, whether the installed controllers are ready and their CRDs are present. Exits 1 when a check fails.
 */
@Command(name = "check", description = "Check the prerequisites and, without --pre, the installed controllers and CRDs.")
public final class CheckCommand implements Callable<Integer> {

    /** The oldest Kubernetes the controllers and CRDs are tested on (no CEL rules, SSA, CRD v1). */
    static final int MIN_MINOR = 20;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    KubeOptions kube;

    @Option(names = "--pre", description = "Only check the prerequisites (before installing).")
    boolean pre;

    @Option(names = "--components", split = ",", paramLabel = "<names>",
            description = "Only these controllers (their Deployments must exist); default: every installed controller.")
    List<String> components;

    @Option(names = "--components-extra", split = ",", paramLabel = "<names>", description = "Added to --components.")
    List<String> componentsExtra;

    @Option(names = "--poll-interval", paramLabel = "<duration>", defaultValue = "5s",
            converter = io.currents.cli.output.DurationConverter.class,
            description = "How often to look at the controllers again while waiting (default: ${DEFAULT-VALUE}).")
    java.time.Duration pollInterval;

    @Option(names = "--timeout", paramLabel = "<duration>", defaultValue = "0s",
            converter = io.currents.cli.output.DurationConverter.class,
            description = "How long to wait for the controllers to become ready (default: ${DEFAULT-VALUE}, look once).")
    java.time.Duration timeout;

    @Override
    public Integer call() {
        Progress progress = Progress.to(spec.commandLine().getErr());
        try {
            KubernetesClient client = kube.client();
            boolean ok = prerequisites(progress, client);
            if (!pre) {
                ok &= versionInCluster(progress, client);
                ok &= controllers(progress, client);
                ok &= crds(progress, client);
            }
            if (ok) {
                progress.success(pre ? "prerequisites checks passed" : "all checks passed");
                return ExitCodes.OK;
            }
            progress.failure(pre ? "prerequisites checks failed" : "check failed");
            return ExitCodes.FAILURE;
        } finally {
            kube.close();
        }
    }

    private boolean prerequisites(Progress progress, KubernetesClient client) {
        progress.action("checking prerequisites");
        VersionInfo version = client.getKubernetesVersion();
        String text = version.getGitVersion() == null ? version.getMajor() + "." + version.getMinor() : version.getGitVersion();
        int minor = minor(version);
        if (minor >= MIN_MINOR) {
            progress.success("Kubernetes " + text.replaceFirst("^v", "") + " >=1." + MIN_MINOR + ".0-0");
            return true;
        }
        progress.failure("Kubernetes version " + text + " does not match >=1." + MIN_MINOR + ".0-0; upgrade the cluster");
        return false;
    }

    static int minor(VersionInfo version) {
        Matcher m = Pattern.compile("^(\\d+)").matcher(version.getMinor() == null ? "" : version.getMinor());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private boolean versionInCluster(Progress progress, KubernetesClient client) {
        progress.action("checking version in cluster");
        var namespace = client.namespaces().withName(kube.namespace()).get();
        String version = namespace == null || namespace.getMetadata().getLabels() == null ? null
                : namespace.getMetadata().getLabels().get(InstallManifests.VERSION_LABEL);
        if (version == null) {
            progress.failure("no Currents installation found in namespace " + kube.namespace()
                    + "; install it with 'currents install' or 'currents bootstrap git'");
            return false;
        }
        progress.success("distribution: currents-" + version);
        boolean bootstrapped = client.genericKubernetesResources("source.toolkit.fluxcd.io/v1", "GitRepository")
                .inNamespace(kube.namespace()).withName(kube.namespace()).get() != null;
        progress.success("bootstrapped: " + bootstrapped);
        return true;
    }

    /** The controller Deployments to check: those of --components, or every installed one. */
    private List<Deployment> deployments(KubernetesClient client) {
        List<Deployment> installed = client.apps().deployments().inNamespace(kube.namespace())
                .withLabelSelector(InstallManifests.PART_OF + "=" + InstallManifests.PART_OF_VALUE).list().getItems()
                .stream().sorted(Comparator.comparing(d -> d.getMetadata().getName())).toList();
        if (components == null && componentsExtra == null) {
            return installed;
        }
        List<String> names = Component.resolve(components == null ? List.of() : components, componentsExtra).stream()
                .map(Component::id).toList();
        return installed.stream().filter(d -> names.contains(d.getMetadata().getName())).toList();
    }

    /** The Deployments, looked at again every --poll-interval until all are ready or --timeout has passed. */
    private List<Deployment> awaitDeployments(KubernetesClient client) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Deployment> deployments = deployments(client);
            boolean ready = deployments.stream().allMatch(d -> Kstatus.compute(Unstructured.toMap(d)).isCurrent());
            if ((ready && deployments.size() >= wanted()) || System.nanoTime() + pollInterval.toNanos() > deadline) {
                return deployments;
            }
            try {
                Thread.sleep(pollInterval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return deployments;
            }
        }
    }

    private int wanted() {
        return components == null && componentsExtra == null ? 1
                : Component.resolve(components == null ? List.of() : components, componentsExtra).size();
    }

    private boolean controllers(Progress progress, KubernetesClient client) {
        progress.action("checking controllers");
        List<Deployment> deployments = awaitDeployments(client);
        boolean ok = true;
        if (components != null || componentsExtra != null) {
            for (Component c : Component.resolve(components == null ? List.of() : components, componentsExtra)) {
                if (deployments.stream().noneMatch(d -> d.getMetadata().getName().equals(c.id()))) {
                    progress.failure(c.id() + ": deployment not found in namespace " + kube.namespace());
                    ok = false;
                }
            }
        } else if (deployments.isEmpty()) {
            progress.failure("no controllers found in namespace " + kube.namespace() + "; install them with 'currents install'");
            return false;
        }
        boolean pullFailed = false;
        for (Deployment d : deployments) {
            ObjectStatus status = Kstatus.compute(Unstructured.toMap(d));
            List<ImagePulls.Failure> pulls = ImagePulls.of(client, d);
            if (status.isCurrent() && pulls.isEmpty()) {
                progress.success(d.getMetadata().getName() + ": deployment ready");
            } else {
                progress.failure(d.getMetadata().getName() + ": deployment not ready (" + status.message() + ")");
                ok = false;
            }
            // one line per image, as the kubelet reports it on any of the pods (a rollout may leave an old pod running)
            pulls.stream().map(ImagePulls.Failure::describe).distinct()
                    .forEach(line -> progress.failure(d.getMetadata().getName() + ": " + line));
            pullFailed |= !pulls.isEmpty();
            d.getSpec().getTemplate().getSpec().getContainers().forEach(c -> progress.action(c.getImage()));
        }
        if (pullFailed) {
            progress.failure("controller images cannot be pulled: " + ImagePulls.advice());
        }
        return ok;
    }

    private boolean crds(Progress progress, KubernetesClient client) {
        progress.action("checking crds");
        List<CustomResourceDefinition> crds = client.apiextensions().v1().customResourceDefinitions()
                .withLabelSelector(InstallManifests.PART_OF + "=" + InstallManifests.PART_OF_VALUE).list().getItems()
                .stream().sorted(Comparator.comparing(c -> c.getMetadata().getName())).toList();
        if (crds.isEmpty()) {
            progress.failure("no toolkit CRDs found; install them with 'currents install'");
            return false;
        }
        boolean ok = true;
        for (CustomResourceDefinition crd : crds) {
            String storage = crd.getSpec().getVersions().stream().filter(v -> Boolean.TRUE.equals(v.getStorage()))
                    .map(v -> v.getName()).findFirst().orElse("?");
            boolean established = crd.getStatus() != null && crd.getStatus().getConditions() != null
                    && crd.getStatus().getConditions().stream().anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
            if (established) {
                progress.success(crd.getMetadata().getName() + "/" + storage);
            } else {
                progress.failure(crd.getMetadata().getName() + "/" + storage + " is not established");
                ok = false;
            }
        }
        return ok;
    }
}
