package io.currents.ui;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static io.currents.ui.UiTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

/** OIDC users act through impersonation: their RBAC decides, and each action is audited. */
@QuarkusTest
@TestProfile(OidcProfile.class)
class ActionsTest extends UiPageTest {

    @Test
    void aReconcileIsAllowedForAGroupWithRbacAndRefusedForAUserWithout() {
        String ns = namespace("ui-actions");
        gitRepository(ns, "repo", "https://example.invalid/repo", readyStatus("True", "Succeeded", "stored artifact"));
        kustomization(ns, "apps", "repo", "path: ./apps", readyStatus("True", "ReconciliationSucceeded", "Applied revision: main@sha1:5555"));
        kube().rbac().roles().inNamespace(ns).resource(new RoleBuilder().withNewMetadata().withName("flux-operator").endMetadata()
                .withRules(new PolicyRuleBuilder().withApiGroups("kustomize.toolkit.fluxcd.io", "source.toolkit.fluxcd.io")
                        .withResources("kustomizations", "gitrepositories").withVerbs("get", "list", "patch").build()).build()).create();
        kube().rbac().roleBindings().inNamespace(ns).resource(new RoleBindingBuilder().withNewMetadata().withName("team-a").endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName("flux-operator").endRoleRef()
                .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("Group").withName("team-a").endSubject().build()).create();
        awaitInStore("Kustomization", ns, "apps");
        String path = "/objects/Kustomization/" + ns + "/apps";

        String alice = FakeOidcProvider.token("alice@example.com", List.of("team-a"));
        HttpResponse<String> alicePage = get(base, path, alice);
        assertThat(alicePage.statusCode()).isEqualTo(200);
        assertThat(alicePage.body()).contains("data-user=\"oidc:alice@example.com\"");
        HttpResponse<String> allowed = post(base, path + "/actions", alice, "action=reconcile-with-source&csrf=" + csrf(alicePage.body()));
        assertThat(allowed.statusCode()).isEqualTo(303);
        GenericKubernetesResource ks = kube().genericKubernetesResources(KS).inNamespace(ns).withName("apps").get();
        GenericKubernetesResource git = kube().genericKubernetesResources(GIT).inNamespace(ns).withName("repo").get();
        assertThat(ks.getMetadata().getAnnotations()).containsKey("reconcile.fluxcd.io/requestedAt");
        assertThat(git.getMetadata().getAnnotations().get("reconcile.fluxcd.io/requestedAt"))
                .isEqualTo(ks.getMetadata().getAnnotations().get("reconcile.fluxcd.io/requestedAt"));
        assertThat(kube().v1().events().inNamespace(ns).withField("involvedObject.name", "apps").list().getItems())
                .anySatisfy(e -> assertThat(e.getMessage()).contains("reconcile-with-source requested by oidc:alice@example.com",
                        "team-a"));
        assertThat(get(base, path, alice).body()).contains("reconcile-with-source requested by oidc:alice@example.com");

        String bob = FakeOidcProvider.token("bob@example.com", List.of("team-b"));
        HttpResponse<String> bobPage = get(base, path, bob);
        HttpResponse<String> refused = post(base, path + "/actions", bob, "action=suspend&csrf=" + csrf(bobPage.body()));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("id=\"error-message\"", "oidc:bob@example.com", "forbidden");
        assertThat(kube().genericKubernetesResources(KS).inNamespace(ns).withName("apps").get().getAdditionalProperties().get("spec"))
                .satisfies(spec -> assertThat(((Map<?, ?>) spec).get("suspend")).isNotEqualTo(true));
    }

    @Test
    void aPostWithoutTheFormsCsrfTokenIsRefused() {
        String ns = namespace("ui-csrf");
        gitRepository(ns, "repo", "https://example.invalid/repo", null);
        awaitInStore("GitRepository", ns, "repo");
        String alice = FakeOidcProvider.token("alice@example.com", List.of("system:masters"));
        String bobsCsrf = csrf(get(base, "/objects/GitRepository/" + ns + "/repo", FakeOidcProvider.token("bob@example.com", List.of())).body());
        HttpResponse<String> refused = post(base, "/objects/GitRepository/" + ns + "/repo/actions", alice, "action=suspend&csrf=" + bobsCsrf);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(kube().genericKubernetesResources(GIT).inNamespace(ns).withName("repo").get().getMetadata().getAnnotations())
                .doesNotContainKey("reconcile.fluxcd.io/requestedAt");
    }

    @Test
    void withoutATokenTheProviderIsAsked() {
        HttpResponse<String> page = get(base, "/", "not-a-jwt");
        assertThat(page.statusCode()).isEqualTo(401);
        HttpResponse<String> browser = send(java.net.http.HttpRequest.newBuilder(base.resolve("/")).header("Accept", "text/html").GET().build());
        assertThat(browser.statusCode()).isEqualTo(302);
        assertThat(browser.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).contains("/realm/auth", "client_id=currents-ui"));
    }
}
