package io.currents.cli.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code explain} reads conditions, sources, inventories, managedFields and events from the real API server. */
@Tag("cluster")
class ExplainCommandTest {

    private static final String NOW = Instant.now().minusSeconds(30).toString().replaceAll("\\.\\d+Z$", "Z");

    @Test
    void aKustomizationBlockedOnItsSourceNamesTheSourceAndItsMessage() {
        String ns = Cluster.namespace("explain-src");
        Cluster.gitRepository(ns, "fleet");
        Cluster.status(FluxKind.GIT_REPOSITORY, ns, "fleet", s -> s.put("conditions", List.of(
                Cluster.ready("False", "GitOperationFailed", "failed to checkout and determine revision: authentication required", NOW))));
        Cluster.kustomization(ns, "apps", "./apps");
        Cluster.status(FluxKind.KUSTOMIZATION, ns, "apps", s -> s.put("conditions", List.of(
                Cluster.ready("False", "ArtifactFailed", "Source artifact not found, retrying in 30s", NOW))));
        Cluster.client().v1().events().inNamespace(ns).resource(new EventBuilder().withNewMetadata().withName("apps.1").endMetadata()
                .withNewInvolvedObject().withKind("Kustomization").withName("apps").withNamespace(ns)
                .withApiVersion("kustomize.toolkit.fluxcd.io/v1").endInvolvedObject()
                .withType("Warning").withReason("ArtifactFailed").withMessage("Source artifact not found")
                .withLastTimestamp(NOW).withFirstTimestamp(NOW).build()).create();

        Cli.Run run = Cluster.run(ns, "explain", "ks", "apps");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("Kustomization " + ns + "/apps")
                .contains("Ready       False  ArtifactFailed: Source artifact not found, retrying in 30s")
                .contains("✗ source    GitRepository " + ns + "/fleet: Ready=False: failed to checkout and determine revision: authentication required")
                .contains("✗ artifact  GitRepository " + ns + "/fleet: no artifact yet")
                .contains("Warning  ArtifactFailed: Source artifact not found")
                .contains("Suspended   no");
    }

    @Test
    void anUnhealthyDeploymentAndAFieldTakenByAnotherManagerAreShown() {
        String ns = Cluster.namespace("explain-health");
        Cluster.gitRepository(ns, "fleet");
        Cluster.storedArtifact(ns, "fleet", "main@sha1:abc", NOW);
        Cluster.kustomization(ns, "apps", "./apps");
        var client = Cluster.client();
        client.apps().deployments().inNamespace(ns).resource(new DeploymentBuilder().withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage("nginx").endContainer().endSpec().endTemplate().endSpec().build())
                .fieldManager(DiffCommand.FIELD_MANAGER).forceConflicts().serverSideApply();
        client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("settings").endMetadata()
                .addToData("level", "info").build()).fieldManager(DiffCommand.FIELD_MANAGER).forceConflicts().serverSideApply();
        client.configMaps().inNamespace(ns).withName("settings").patch(new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE)
                .withFieldManager("kubectl-edit").build(), "{\"data\":{\"level\":\"debug\"}}");
        Cluster.status(FluxKind.KUSTOMIZATION, ns, "apps", s -> {
            s.put("lastAppliedRevision", "main@sha1:abc");
            s.put("inventory", Map.of("entries", List.of(
                    Map.of("id", ns + "_web_apps_Deployment", "v", "v1"),
                    Map.of("id", ns + "_settings__ConfigMap", "v", "v1"))));
            s.put("conditions", List.of(Cluster.ready("False", "HealthCheckFailed",
                    "health check failed after 30s: timeout waiting for: [Deployment/" + ns + "/web status: 'InProgress']", NOW)));
        });

        Cli.Run run = Cluster.run(ns, "explain", "kustomization", "apps");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("✔ source    GitRepository " + ns + "/fleet: Ready=True")
                .contains("✔ artifact  GitRepository " + ns + "/fleet: revision main@sha1:abc applied")
                .contains("✗ health    Deployment " + ns + "/web: InProgress")
                .doesNotContain("ConfigMap " + ns + "/settings: InProgress")
                .contains("ConfigMap " + ns + "/settings: [.data.level] changed by kubectl-edit (Update");
    }

    @Test
    void jsonCarriesTheSameFactsAndWhoSuspendedIt() throws Exception {
        String ns = Cluster.namespace("explain-json");
        Cluster.gitRepository(ns, "fleet");
        Cluster.storedArtifact(ns, "fleet", "main@sha1:abc", NOW);
        Cluster.kustomization(ns, "infra", "./infra");
        Cluster.create(ns, """
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata: {name: apps}
                spec: {interval: 10m, path: ./apps, prune: true, sourceRef: {kind: GitRepository, name: fleet}, dependsOn: [{name: infra}]}
                """);
        Cluster.appliedRevision(ns, "apps", "main@sha1:abc", NOW);
        Cluster.status(FluxKind.KUSTOMIZATION, ns, "infra", s -> s.put("conditions", List.of(
                Cluster.ready("False", "BuildFailed", "kustomize build failed", NOW))));
        Cli.Run suspend = Cluster.run(ns, "suspend", "kustomization", "apps", "--reason", "change freeze until Monday");
        assertThat(suspend.code()).as(suspend.err()).isZero();

        Cli.Run run = Cluster.run(ns, "explain", "ks", "apps", "-o", "json");

        assertThat(run.code()).as(run.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.at("/conditions/Ready/status").asText()).isEqualTo("True");
        assertThat(json.at("/suspended/suspended").asBoolean()).isTrue();
        assertThat(json.at("/suspended/reason").asText()).isEqualTo("change freeze until Monday");
        assertThat(json.at("/suspended/by").asText()).startsWith(System.getProperty("user.name"));
        assertThat(json.at("/reconcile/lastAppliedRevision").asText()).isEqualTo("main@sha1:abc");
        JsonNode dependency = null;
        for (JsonNode w : json.get("waitingOn")) {
            if ("dependsOn".equals(w.get("step").asText())) {
                dependency = w;
            }
        }
        assertThat(dependency).isNotNull();
        assertThat(dependency.get("name").asText()).isEqualTo("infra");
        assertThat(dependency.get("ok").asBoolean()).isFalse();
        assertThat(dependency.get("message").asText()).isEqualTo("Ready=False: kustomize build failed");

        Cli.Run resume = Cluster.run(ns, "resume", "kustomization", "apps", "--wait=false");
        assertThat(resume.code()).as(resume.err()).isZero();
        assertThat(Cluster.get(FluxKind.KUSTOMIZATION, ns, "apps").getMetadata().getAnnotations())
                .doesNotContainKeys("currents.io/suspended-by", "currents.io/suspended-reason");
    }

    @Test
    void aHelmReleaseWaitsOnItsHelmChartAndShowsTheDeployedChartVersion() {
        String ns = Cluster.namespace("explain-hr");
        Cluster.create(ns, """
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata: {name: hello}
                spec: {interval: 5m, chart: {spec: {chart: hello, sourceRef: {kind: HelmRepository, name: charts}}}}
                """);
        Cluster.create(ns, """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: HelmChart
                metadata: {name: %s-hello}
                spec: {interval: 5m, chart: hello, sourceRef: {kind: HelmRepository, name: charts}}
                """.formatted(ns));
        Cluster.status(FluxKind.HELM_CHART, ns, ns + "-hello", s -> {
            s.putAll(Cluster.artifact("1.1.0"));
            s.put("conditions", List.of(Cluster.ready("True", "ChartPullSucceeded", "pulled 'hello' chart with version '1.1.0'", NOW)));
        });
        Cluster.status(FluxKind.HELM_RELEASE, ns, "hello", s -> {
            s.put("history", List.of(Map.of("name", "hello", "namespace", ns, "version", 1, "status", "deployed",
                    "chartName", "hello", "chartVersion", "1.0.0", "configDigest", "sha256:00", "digest", "sha256:00",
                    "firstDeployed", NOW, "lastDeployed", NOW)));
            s.put("lastAttemptedRevision", "1.1.0");
            s.put("conditions", List.of(Cluster.ready("False", "UpgradeFailed", "Helm upgrade failed: timed out waiting for the condition", NOW)));
        });

        Cli.Run run = Cluster.run(ns, "explain", "hr", "hello");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("HelmRelease " + ns + "/hello")
                .contains("Ready       False  UpgradeFailed: Helm upgrade failed: timed out waiting for the condition")
                .contains("✔ source    HelmChart " + ns + "/" + ns + "-hello: Ready=True: pulled 'hello' chart with version '1.1.0'")
                .contains("✗ artifact  HelmChart " + ns + "/" + ns + "-hello: revision 1.1.0 not applied yet (last applied 1.0.0, last attempted 1.1.0)");
    }
}
