package io.currents.cli.install;

import io.currents.cli.kube.KubeOptions;
import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import io.currents.cli.output.Progress;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * {@code currents uninstall}: removes the controllers, their RBAC and policies, the toolkit CRDs and the namespace.
 * Finalizers are removed from the toolkit's objects first, so nothing a Kustomization applied is pruned: the
 * workloads stay, as with {@code flux uninstall}.
 */
@Command(name = "uninstall", sortOptions = false,
        description = "Uninstall Currents: controllers, RBAC, network policies, CRDs and the namespace. "
                + "Objects the controllers applied (your workloads) are kept.")
public final class UninstallCommand implements Callable<Integer> {

    private static final String SELECTOR = InstallManifests.PART_OF + "=" + InstallManifests.PART_OF_VALUE;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    KubeOptions kube;

    @Option(names = "--keep-namespace", description = "Keep the namespace after uninstalling the controllers.")
    boolean keepNamespace;

    @Option(names = {"-s", "--silent"}, description = "Do not ask for confirmation.")
    boolean silent;

    @Option(names = "--dry-run", description = "Only print the objects that would be deleted.")
    boolean dryRun;

    @Option(names = "--delete-workloads",
            description = "Also delete what each Kustomization applied, as deleting the Kustomization would "
                    + "(following spec.prune and spec.deletionPolicy).")
    boolean deleteWorkloads;

    @Override
    public Integer call() {
        String ns = kube.namespace();
        Progress progress = Progress.to(spec.commandLine().getErr());
        if (!silent && !dryRun && !io.currents.cli.output.Confirmation.ask(spec.commandLine().getErr(),
                "Are you sure you want to delete Currents and its custom resource definitions?", "--silent")) {
            progress.failure("aborting");
            return ExitCodes.FAILURE;
        }
        try {
            KubernetesClient client = kube.client();
            String instance = SELECTOR + "," + InstallManifests.INSTANCE + "=" + ns;

            progress.action("deleting components in " + ns + " namespace");
            deleteAll(progress, "Deployment", () -> client.apps().deployments().inNamespace(ns).withLabelSelector(instance).list().getItems());
            deleteAll(progress, "Service", () -> client.services().inNamespace(ns).withLabelSelector(instance).list().getItems());
            deleteAll(progress, "NetworkPolicy", () -> client.network().v1().networkPolicies().inNamespace(ns).withLabelSelector(instance).list().getItems());
            deleteAll(progress, "ServiceAccount", () -> client.serviceAccounts().inNamespace(ns).withLabelSelector(instance).list().getItems());
            deleteAll(progress, "RoleBinding", () -> client.rbac().roleBindings().inNamespace(ns).withLabelSelector(instance).list().getItems());
            deleteAll(progress, "Role", () -> client.rbac().roles().inNamespace(ns).withLabelSelector(instance).list().getItems());
            deleteAll(progress, "ClusterRoleBinding", () -> client.rbac().clusterRoleBindings().withLabelSelector(instance).list().getItems());
            deleteAll(progress, "ClusterRole", () -> client.rbac().clusterRoles().withLabelSelector(instance).list().getItems());

            if (deleteWorkloads) {
                progress.action("deleting the workloads of every Kustomization");
                new WorkloadDeletion(client, progress, dryRun).deleteAll();
            }
            List<CustomResourceDefinition> crds = client.apiextensions().v1().customResourceDefinitions()
                    .withLabelSelector(SELECTOR).list().getItems();
            progress.action("deleting toolkit finalizers in all namespaces");
            for (CustomResourceDefinition crd : crds) {
                removeFinalizers(progress, client, crd);
            }
            progress.action("deleting toolkit custom resource definitions");
            for (CustomResourceDefinition crd : crds) {
                delete(progress, "CustomResourceDefinition", crd.getMetadata().getName(),
                        () -> client.apiextensions().v1().customResourceDefinitions().resource(crd).delete());
            }
            if (!keepNamespace) {
                var namespace = client.namespaces().withName(ns).get();
                if (namespace != null) {
                    delete(progress, "Namespace", ns, () -> client.namespaces().withName(ns).delete());
                }
            }
            progress.success("uninstall finished");
            return ExitCodes.OK;
        } finally {
            kube.close();
        }
    }

    private <T extends io.fabric8.kubernetes.api.model.HasMetadata> void deleteAll(Progress progress, String kind, Supplier<List<T>> list) {
        for (T item : list.get()) {
            String name = item.getMetadata().getNamespace() == null ? item.getMetadata().getName()
                    : item.getMetadata().getNamespace() + "/" + item.getMetadata().getName();
            delete(progress, kind, name, () -> kube.client().resource(item).delete());
        }
    }

    private void delete(Progress progress, String kind, String name, Runnable deletion) {
        if (!dryRun) {
            deletion.run();
        }
        progress.success(kind + "/" + name + " deleted" + (dryRun ? " (dry run)" : ""));
    }

    /** Clears finalizers of every object of a toolkit kind, so deleting the CRD cannot hang and nothing is pruned. */
    private void removeFinalizers(Progress progress, KubernetesClient client, CustomResourceDefinition crd) {
        var version = crd.getSpec().getVersions().stream().filter(v -> Boolean.TRUE.equals(v.getStorage())).findFirst()
                .orElse(crd.getSpec().getVersions().get(0));
        ResourceDefinitionContext context = new ResourceDefinitionContext.Builder()
                .withGroup(crd.getSpec().getGroup()).withVersion(version.getName())
                .withPlural(crd.getSpec().getNames().getPlural()).withKind(crd.getSpec().getNames().getKind())
                .withNamespaced("Namespaced".equals(crd.getSpec().getScope())).build();
        List<GenericKubernetesResource> items;
        try {
            items = client.genericKubernetesResources(context).inAnyNamespace().list().getItems();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return;
            }
            throw e;
        }
        for (GenericKubernetesResource item : items) {
            List<String> finalizers = item.getMetadata().getFinalizers();
            if (finalizers == null || finalizers.isEmpty()) {
                continue;
            }
            if (!dryRun) {
                client.genericKubernetesResources(context).inNamespace(item.getMetadata().getNamespace())
                        .withName(item.getMetadata().getName())
                        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"finalizers\":null}}");
            }
            progress.success(crd.getSpec().getNames().getKind() + "/" + item.getMetadata().getNamespace() + "/"
                    + item.getMetadata().getName() + " finalizers deleted" + (dryRun ? " (dry run)" : ""));
        }
    }

}
