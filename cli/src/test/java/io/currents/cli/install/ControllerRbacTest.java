package io.currents.cli.install;

import io.currents.cli.CommandResult;
import io.currents.testkit.ControlPlane;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The installed controllers' service accounts may do what their code does and, for source-controller, nothing more;
 * asked of the real API server's RBAC authorizer with SubjectAccessReviews.
 */
@Tag("cluster")
class ControllerRbacTest {

    static final String NS = "rbac-check";

    @BeforeAll
    static void install() {
        CommandResult r = CommandResult.onCluster("install", "-n", NS, "--components-extra", "source-watcher,ui", "--local-controllers",
                "--timeout", "90s");
        assertThat(r.code()).as(r.toString()).isZero();
    }

    @Test
    void sourceControllerReconcilesItsKindsReadsSecretsRecordsEventsAndHoldsItsLease() {
        String sa = "source-controller";
        assertThat(allowed(sa, "watch", "source.toolkit.fluxcd.io", "gitrepositories", null, "apps")).isTrue();
        assertThat(allowed(sa, "patch", "source.toolkit.fluxcd.io", "gitrepositories", "status", "apps")).isTrue();
        assertThat(allowed(sa, "update", "source.toolkit.fluxcd.io", "ocirepositories", null, "apps")).isTrue();
        assertThat(allowed(sa, "get", "", "secrets", null, "apps")).isTrue();
        assertThat(allowed(sa, "create", "", "events", null, "apps")).isTrue();
        assertThat(allowed(sa, "update", "coordination.k8s.io", "leases", null, NS)).isTrue();
        // the client's leader elector renews its Lease with a PATCH (the fault suite, run as this account, found it missing)
        assertThat(allowed(sa, "patch", "coordination.k8s.io", "leases", null, NS)).isTrue();
        // least privilege: no listing of secrets, no writes outside its kinds, no leases elsewhere
        assertThat(allowed(sa, "list", "", "secrets", null, "apps")).isFalse();
        assertThat(allowed(sa, "create", "apps", "deployments", null, "apps")).isFalse();
        assertThat(allowed(sa, "patch", "kustomize.toolkit.fluxcd.io", "kustomizations", null, "apps")).isFalse();
        assertThat(allowed(sa, "update", "coordination.k8s.io", "leases", null, "kube-system")).isFalse();
    }

    @Test
    void kustomizeControllerMayApplyAnythingThroughTheClusterReconcilerBinding() {
        String sa = "kustomize-controller";
        assertThat(allowed(sa, "patch", "kustomize.toolkit.fluxcd.io", "kustomizations", "status", "apps")).isTrue();
        assertThat(allowed(sa, "watch", "source.toolkit.fluxcd.io", "gitrepositories", null, "apps")).isTrue();
        assertThat(allowed(sa, "impersonate", "", "serviceaccounts", null, "apps")).isTrue();
        assertThat(allowed(sa, "create", "rbac.authorization.k8s.io", "clusterroles", null, null)).isTrue();
        assertThat(allowed(sa, "delete", "apps", "deployments", null, "apps")).isTrue();
    }

    @Test
    void sourceWatcherWritesExternalArtifactsAndOnlyReadsSources() {
        String sa = "source-watcher";
        assertThat(allowed(sa, "patch", "source.extensions.fluxcd.io", "artifactgenerators", "status", "apps")).isTrue();
        assertThat(allowed(sa, "watch", "source.toolkit.fluxcd.io", "helmcharts", null, "apps")).isTrue();
        assertThat(allowed(sa, "create", "source.toolkit.fluxcd.io", "externalartifacts", null, "apps")).isTrue();
        assertThat(allowed(sa, "patch", "source.toolkit.fluxcd.io", "externalartifacts", "status", "apps")).isTrue();
        assertThat(allowed(sa, "delete", "source.toolkit.fluxcd.io", "externalartifacts", null, "apps")).isTrue();
        assertThat(allowed(sa, "update", "coordination.k8s.io", "leases", null, NS)).isTrue();
        assertThat(allowed(sa, "patch", "source.toolkit.fluxcd.io", "gitrepositories", null, "apps")).isFalse();
        assertThat(allowed(sa, "get", "", "secrets", null, "apps")).isFalse();
        assertThat(allowed("kustomize-controller", "watch", "source.toolkit.fluxcd.io", "externalartifacts", null, "apps")).isTrue();
        assertThat(allowed("helm-controller", "watch", "source.toolkit.fluxcd.io", "externalartifacts", null, "apps")).isTrue();
    }

    @Test
    void theUiReadsTheToolkitAndActsOnlyThroughImpersonation() {
        String sa = "ui";
        assertThat(allowed(sa, "watch", "kustomize.toolkit.fluxcd.io", "kustomizations", null, "apps")).isTrue();
        assertThat(allowed(sa, "list", "helm.toolkit.fluxcd.io", "helmreleases", null, "apps")).isTrue();
        assertThat(allowed(sa, "watch", "", "events", null, "apps")).isTrue();
        assertThat(allowed(sa, "create", "", "events", null, "apps")).isTrue();
        assertThat(allowed(sa, "get", "apps", "deployments", null, "apps")).isTrue();
        assertThat(allowed(sa, "impersonate", "", "users", null, null)).isTrue();
        assertThat(allowed(sa, "impersonate", "", "groups", null, null)).isTrue();
        // its own account changes nothing: actions are the signed-in user's, through impersonation
        assertThat(allowed(sa, "patch", "kustomize.toolkit.fluxcd.io", "kustomizations", null, "apps")).isFalse();
        assertThat(allowed(sa, "impersonate", "", "serviceaccounts", null, "apps")).isFalse();
        assertThat(allowed(sa, "get", "", "secrets", null, "apps")).isFalse();
    }

    private static boolean allowed(String serviceAccount, String verb, String group, String resource, String subresource, String namespace) {
        SubjectAccessReview review = new SubjectAccessReviewBuilder().withNewSpec()
                .withUser("system:serviceaccount:" + NS + ":" + serviceAccount)
                .withGroups("system:serviceaccounts", "system:serviceaccounts:" + NS, "system:authenticated")
                .withResourceAttributes(new ResourceAttributesBuilder().withVerb(verb).withGroup(group).withResource(resource)
                        .withSubresource(subresource).withNamespace(namespace).build())
                .endSpec().build();
        return ControlPlane.shared().client().authorization().v1().subjectAccessReview().create(review).getStatus().getAllowed();
    }
}
