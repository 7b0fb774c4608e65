package io.currents.e2e;

import io.currents.cli.dev.ControllerProcess.Controller;
import io.currents.testkit.ControlPlane;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The controllers' own identities for the suites that run them as processes ({@link LocalCluster}, {@link FaultCluster}):
 * each controller's ServiceAccount and RBAC from {@code manifests/bases/<controller>}, applied to the suite's namespace as
 * the install does, and the environment that makes a controller's client act as that ServiceAccount. The kubeconfig's
 * admin credentials then only carry the impersonation, so a permission the shipped RBAC lacks fails the test that needs it.
 */
final class ShippedRbac {

    /** The controllers whose RBAC is applied: the defaults and image-automation-controller. */
    static final List<Controller> CONTROLLERS = List.of(Controller.SOURCE, Controller.KUSTOMIZE, Controller.HELM,
            Controller.NOTIFICATION, Controller.IMAGE_AUTOMATION);

    private ShippedRbac() {
    }

    /** Creates {@code namespace} if needed and applies every controller's ServiceAccount and RBAC to it. */
    static void apply(KubernetesClient client, String namespace) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                .serverSideApply();
        for (Controller c : CONTROLLERS) {
            Path base = ControlPlane.projectRoot().resolve("manifests").resolve("bases").resolve(c.controllerName());
            for (String file : List.of("account.yaml", "rbac.yaml")) {
                try (var in = Files.newInputStream(base.resolve(file))) {
                    for (HasMetadata object : client.load(in).items()) {
                        if (object instanceof ClusterRoleBinding binding) {
                            binding.getSubjects().forEach(subject -> subject.setNamespace(namespace));
                        } else if (object instanceof RoleBinding binding) {
                            binding.getSubjects().forEach(subject -> subject.setNamespace(namespace));
                        }
                        if (!(object instanceof ClusterRole) && !(object instanceof ClusterRoleBinding)) {
                            object.getMetadata().setNamespace(namespace);
                        }
                        client.resource(object).forceConflicts().serverSideApply();
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    /** The user name the API server gives {@code c}'s ServiceAccount in {@code namespace}. */
    static String user(Controller c, String namespace) {
        return "system:serviceaccount:" + namespace + ":" + c.controllerName();
    }

    /** The environment that makes {@code c}'s Kubernetes client impersonate its own ServiceAccount in {@code namespace}. */
    static Map<String, String> actingAs(Controller c, String namespace) {
        return Map.of("KUBERNETES_IMPERSONATE_USERNAME", user(c, namespace));
    }
}
