package io.currents.e2e.ui;

import io.currents.e2e.SharedControllers;
import io.currents.testkit.ControlPlane;
import io.currents.testkit.FluxFixtures;
import io.currents.testkit.FluxFixtures.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The UI in a real browser (headless Chromium through Selenium) against the UI's packaged application and the local
 * control plane: what a user sees on the overview, the graph, an object's page and its Why view, and what happens
 * when they press Reconcile with and without the rights for it. The toolkit objects are written with the status their
 * controllers would give them (no controller runs: the UI is what is tested). Each test saves screenshots for
 * docs/ui.md ({@link Browser#screenshot}).
 */
@Tag("cluster")
class UiBrowserTest {

    static final String REVISION = "main@sha1:4f2c1d0e9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e";

    static KubernetesClient kube;
    static String ns;
    static UiServer admin;
    static Browser browser;
    static SharedControllers.Stopped controllersStopped;

    @BeforeAll
    static void start() {
        // the fixtures carry the status the test writes: the suite's controllers would reconcile them and write their own
        controllersStopped = SharedControllers.stopped();
        ControlPlane plane = ControlPlane.shared();
        plane.applyCrds(ControlPlane.projectRoot().resolve("manifests").resolve("crds"));
        kube = plane.client();
        ns = plane.createNamespace("ui-apps");
        FluxFixtures fixtures = new FluxFixtures(kube, ns);
        fixtures.gitRepository("platform", "https://git.example.com/platform.git", REVISION,
                Condition.ready("stored artifact for revision '" + REVISION + "'"));
        fixtures.gitRepository("broken-source", "https://git.unreachable.invalid/team.git", null,
                Condition.notReady("GitOperationFailed", "failed to checkout and determine revision: unable to clone "
                        + "'https://git.unreachable.invalid/team.git': dial tcp: lookup git.unreachable.invalid: no such host"));
        fixtures.configMaps("frontend", List.of("frontend-config", "frontend-env"));
        fixtures.kustomization("frontend", "platform", REVISION, List.of(), List.of("frontend-config", "frontend-env"),
                Condition.ready("Applied revision: " + REVISION));
        fixtures.kustomization("backend", "platform", REVISION, List.of("frontend"), List.of(),
                Condition.notReady("BuildFailed", "kustomize build failed: apps/backend/kustomization.yaml: accumulating "
                        + "resources: accumulation err='accumulating resources from 'deployment.yaml': open "
                        + "apps/backend/deployment.yaml: no such file or directory'"));
        fixtures.kustomization("team", "broken-source", null, List.of(), List.of(),
                Condition.notReady("ArtifactFailed", "Source artifact not found, retrying in 30s"));
        admin = UiServer.start("ui-admin", "system:masters");
        browser = Browser.start();
        browser.open(admin.url("/login?token=" + admin.token()));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (controllersStopped != null) {
            kube.namespaces().withName(ns).delete();
            controllersStopped.close();
        }
    }

    @Test
    void theOverviewListsTheObjectsWithTheirStatusAndFiltersThem() {
        browser.open(admin.url("/?namespace=" + ns));
        WebElement frontend = browser.await(By.id(rowId("Kustomization", "frontend")));
        assertThat(frontend.getAttribute("data-status")).isEqualTo("ready");
        assertThat(frontend.getText()).contains("frontend", REVISION);
        assertThat(browser.await(By.id(rowId("Kustomization", "backend"))).getAttribute("data-status")).isEqualTo("failed");
        assertThat(browser.await(By.id(rowId("GitRepository", "platform"))).getAttribute("data-status")).isEqualTo("ready");
        assertThat(rows()).hasSize(5);
        browser.screenshot("overview");

        // filter as a user does: the form's fields, then Filter
        new Select(browser.driver().findElement(By.id("filter-kind"))).selectByValue("Kustomization");
        new Select(browser.driver().findElement(By.id("filter-status"))).selectByValue("failed");
        browser.driver().findElement(By.id("filter-apply")).click();
        browser.awaitText("2 objects");
        assertThat(rows()).extracting(r -> r.getAttribute("data-name")).containsExactlyInAnyOrder("backend", "team");
        browser.screenshot("overview-filtered");

        // a new object shows without a reload (server-sent events)
        new FluxFixtures(kube, ns).kustomization("billing", "platform", REVISION, List.of(), List.of(),
                Condition.notReady("HealthCheckFailed", "health check failed after 2m0s: timeout waiting for: "
                        + "[Deployment/" + ns + "/billing status: 'InProgress']"));
        browser.await(By.id(rowId("Kustomization", "billing")));
        assertThat(rows()).hasSize(3);
    }

    @Test
    void theGraphLeadsFromASourceToAKustomizationAndItsPage() {
        browser.open(admin.url("/"));
        browser.driver().findElement(By.id("nav-graph")).click();
        new Select(browser.await(By.id("graph-namespace"))).selectByValue(ns);
        browser.driver().findElement(By.cssSelector("#graph-filter button[type=submit]")).click();
        WebElement source = browser.await(By.id(nodeId("GitRepository", "platform")));
        WebElement frontend = source.findElement(By.id(nodeId("Kustomization", "frontend")));
        assertThat(frontend.getAttribute("data-status")).isEqualTo("ready");
        assertThat(frontend.findElements(By.cssSelector("li.inventory"))).extracting(WebElement::getText)
                .anyMatch(t -> t.contains("frontend-config")).anyMatch(t -> t.contains("frontend-env"));
        WebElement backend = source.findElement(By.id(nodeId("Kustomization", "backend")));
        assertThat(backend.getAttribute("data-status")).isEqualTo("failed");
        assertThat(backend.findElement(By.cssSelector("[data-depends-on]")).getText()).contains("frontend");
        browser.screenshot("graph");

        frontend.findElement(By.linkText("Kustomization frontend")).click();
        WebElement object = browser.await(By.id("object"));
        assertThat(object.getAttribute("data-kind")).isEqualTo("Kustomization");
        assertThat(object.getAttribute("data-name")).isEqualTo("frontend");
        assertThat(browser.await(By.id("object-ready")).getAttribute("data-status")).isEqualTo("ready");
        assertThat(browser.await(By.id("object-revision")).getText()).isEqualTo(REVISION);
        assertThat(browser.await(By.id("inventory")).getText()).contains("frontend-config", "frontend-env");
        browser.screenshot("detail");
    }

    @Test
    void aFailingKustomizationsWhyViewShowsTheRootCause() {
        // source unreachable: the Kustomization waits for an artifact that the GitRepository cannot fetch
        browser.open(admin.url("/objects/Kustomization/" + ns + "/team"));
        browser.await(By.id("why-link")).click();
        WebElement cause = browser.await(By.id("root-cause"));
        assertThat(cause.getText()).contains("broken-source", "no such host");
        assertThat(cause.getAttribute("data-reason")).isEqualTo("GitOperationFailed");
        assertThat(browser.driver().findElements(By.cssSelector("#why-chain > li"))).hasSize(2)
                .first().satisfies(first -> assertThat(first.getText()).contains("team", "ArtifactFailed"));
        browser.screenshot("why");

        // a build error: the Kustomization itself is the root cause, with the file
        browser.open(admin.url("/objects/Kustomization/" + ns + "/backend/why"));
        WebElement build = browser.await(By.id("root-cause"));
        assertThat(build.getAttribute("data-reason")).isEqualTo("BuildFailed");
        assertThat(build.getText()).contains("apps/backend/kustomization.yaml", "deployment.yaml");
    }

    @Test
    void reconcileIsAllowedForTheUserRbacAllowsAndRefusedForAnother() {
        // RBAC as docs/ui.md shows it: alice may patch the namespace's Kustomizations and sources; bob may not
        kube.resource("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata:
                  name: gitops-operator
                  namespace: %1$s
                rules:
                  - apiGroups: ["kustomize.toolkit.fluxcd.io", "source.toolkit.fluxcd.io"]
                    resources: ["kustomizations", "gitrepositories"]
                    verbs: ["get", "list", "watch", "patch"]
                """.formatted(ns)).serverSideApply();
        kube.resource("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata:
                  name: gitops-operator
                  namespace: %1$s
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: gitops-operator}
                subjects:
                  - {apiGroup: rbac.authorization.k8s.io, kind: User, name: alice}
                """.formatted(ns)).serverSideApply();
        String page = "/objects/Kustomization/" + ns + "/frontend";

        try (UiServer bob = UiServer.start("bob", "team-other"); Browser bobs = Browser.start()) {
            bobs.open(bob.url("/login?token=" + bob.token()));
            bobs.open(bob.url(page));
            bobs.await(By.id("action-reconcile")).click();
            assertThat(bobs.await(By.id("error-title")).getText()).startsWith("403");
            assertThat(bobs.await(By.id("error-message")).getText()).contains("refused", "reconcile", "bob");
            bobs.screenshot("reconcile-refused");
        }
        assertThat(annotations("frontend")).doesNotContainKey("reconcile.fluxcd.io/requestedAt");

        try (UiServer alice = UiServer.start("alice", "team-apps"); Browser alices = Browser.start()) {
            alices.open(alice.url("/login?token=" + alice.token()));
            alices.open(alice.url(page));
            alices.await(By.id("action-reconcile")).click();
            assertThat(alices.await(By.id("action-result")).getText()).contains("reconcile", "alice");
            alices.screenshot("reconcile-allowed");
        }
        assertThat(annotations("frontend")).containsKey("reconcile.fluxcd.io/requestedAt");
        assertThat(kube.v1().events().inNamespace(ns).list().getItems())
                .as("the action is audited as an Event on the Kustomization")
                .anyMatch(e -> "frontend".equals(e.getInvolvedObject().getName()) && e.getMessage().contains("alice"));
    }

    private static java.util.Map<String, String> annotations(String kustomization) {
        var annotations = kube.genericKubernetesResources("kustomize.toolkit.fluxcd.io/v1", "Kustomization").inNamespace(ns)
                .withName(kustomization).get().getMetadata().getAnnotations();
        return annotations == null ? java.util.Map.of() : annotations;
    }

    private static List<WebElement> rows() {
        return browser.driver().findElements(By.cssSelector("#objects tbody tr"));
    }

    /** The graph node's id. */
    static String nodeId(String kind, String name) {
        return ("node-" + kind + "-" + ns + "-" + name).toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    }

    /** The overview row's id: kind-namespace-name, lower case. */
    static String rowId(String kind, String name) {
        return ("row-" + kind + "-" + ns + "-" + name).toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    }
}
