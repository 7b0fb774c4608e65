package io.currents.e2e;

import io.currents.cli.dev.ControllerProcess.Controller;
import io.currents.testkit.ControlPlane;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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

    /**
     * Waits until the API server at {@code authorizer} (the one the controllers talk to) grants every rule of every
     * controller's shipped ClusterRoles and Roles to its ServiceAccount. Its RBAC authorizer learns the applied objects
     * through its own watch cache, a moment after they are written (later still when they were written through another
     * API server, as the fault suite's is): a controller started before that has its first watches forbidden.
     */
    static void awaitAuthorized(KubernetesClient authorizer, String namespace) {
        List<SubjectAccessReview> reviews = new ArrayList<>();
        for (Controller c : CONTROLLERS) {
            Path rbac = ControlPlane.projectRoot().resolve("manifests").resolve("bases").resolve(c.controllerName()).resolve("rbac.yaml");
            try (var in = Files.newInputStream(rbac)) {
                for (HasMetadata object : authorizer.load(in).items()) {
                    List<PolicyRule> rules = object instanceof ClusterRole role ? role.getRules()
                            : object instanceof Role role ? role.getRules() : List.of();
                    String scope = object instanceof Role ? namespace : null;
                    for (PolicyRule rule : rules) {
                        if (rule.getResources().isEmpty() || !rule.getResourceNames().isEmpty()) {
                            continue;
                        }
                        reviews.add(new SubjectAccessReviewBuilder().withNewSpec().withUser(user(c, namespace))
                                .withGroups("system:serviceaccounts", "system:serviceaccounts:" + namespace, "system:authenticated")
                                .withNewResourceAttributes().withNamespace(scope).withVerb(rule.getVerbs().get(0))
                                .withGroup(rule.getApiGroups().isEmpty() ? "" : rule.getApiGroups().get(0))
                                .withResource(rule.getResources().get(0)).endResourceAttributes().endSpec().build());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (true) {
            List<String> denied = reviews.stream()
                    .filter(r -> !Boolean.TRUE.equals(authorizer.authorization().v1().subjectAccessReview().create(r).getStatus().getAllowed()))
                    .map(r -> r.getSpec().getUser() + " " + r.getSpec().getResourceAttributes().getVerb() + " "
                            + r.getSpec().getResourceAttributes().getResource())
                    .toList();
            if (denied.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the shipped RBAC is not in force after a minute: " + denied);
            }
            Eventually.sleep(Duration.ofMillis(200));
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
