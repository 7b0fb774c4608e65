package io.currents.cli.ops;

import io.currents.cli.output.ExitCodes;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code migrate}: flux's rewrite of deprecated apiVersions in files ({@code -f}) and of stored objects in the cluster. */
class MigrateCommandTest {

    private static final String APPS = """
            ---
            apiVersion: kustomize.toolkit.fluxcd.io/v1beta2
            kind: Kustomization
            metadata:
              name: apps
            ---
            apiVersion: image.toolkit.fluxcd.io/v1beta2 # keep this comment
            kind: ImagePolicy
            metadata:
              name: app
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: untouched
            ---
            apiVersion: helm.toolkit.fluxcd.io/v2
            kind: HelmRelease
            metadata:
              name: current
            """;

    private static Path repo(Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("repo/clusters"));
        Files.writeString(dir.resolve("apps.yaml"), APPS);
        Files.writeString(dir.resolve("notes.txt"), "apiVersion: kustomize.toolkit.fluxcd.io/v1beta2\nkind: Kustomization\n");
        Files.writeString(dir.resolve("alert.yml"), "apiVersion: notification.toolkit.fluxcd.io/v1beta2\nkind: Alert\n");
        return tmp.resolve("repo");
    }

    @Test
    void filesGetTheLatestApiVersionsOfTheirKinds(@TempDir Path tmp) throws Exception {
        Path repo = repo(tmp);
        Cli.Run dry = Cli.run("migrate", "-f", repo.toString(), "--dry-run");
        assertThat(dry.code()).as(dry.err()).isZero();
        Cli.assertGolden("migrate/dry-run.txt", dry.err().replace(repo.toString(), "<repo>"));
        assertThat(Files.readString(repo.resolve("clusters/apps.yaml"))).isEqualTo(APPS);

        Cli.Run r = Cli.run("migrate", "-f", repo.toString(), "--yes");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("✔ file " + repo.resolve("clusters/apps.yaml") + " migrated successfully",
                "✔ custom resources migrated successfully");
        assertThat(Files.readString(repo.resolve("clusters/apps.yaml"))).isEqualTo(APPS
                .replace("kustomize.toolkit.fluxcd.io/v1beta2", "kustomize.toolkit.fluxcd.io/v1")
                .replace("image.toolkit.fluxcd.io/v1beta2 #", "image.toolkit.fluxcd.io/v1 #"));
        assertThat(Files.readString(repo.resolve("clusters/alert.yml"))).startsWith("apiVersion: notification.toolkit.fluxcd.io/v1beta3\n");
        assertThat(Files.readString(repo.resolve("clusters/notes.txt"))).as("other extensions are left").contains("/v1beta2");

        Cli.Run again = Cli.run("migrate", "-f", repo.toString(), "--yes");
        assertThat(again.err()).endsWith("✔ no custom resources found that require migration\n");
    }

    @Test
    void anOlderFluxVersionKeepsItsImageApiAndUnknownVersionsAreRefused(@TempDir Path tmp) throws Exception {
        Path repo = repo(tmp);
        Cli.Run r = Cli.run("migrate", "-f", repo.resolve("clusters/apps.yaml").toString(), "--version", "2.6", "-y");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readString(repo.resolve("clusters/apps.yaml"))).contains("image.toolkit.fluxcd.io/v1beta2 #",
                "kustomize.toolkit.fluxcd.io/v1\n");
        Cli.Run unknown = Cli.run("migrate", "-f", repo.toString(), "--version", "2.2");
        assertThat(unknown.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).isEqualTo("✗ version 2.2 is not supported, supported versions are: 2.9, 2.8, 2.7, 2.6\n");
        Cli.Run extension = Cli.run("migrate", "-f", repo.resolve("clusters/notes.txt").toString());
        assertThat(extension.err()).isEqualTo("► starting migration of custom resources\n✗ file " + repo.resolve("clusters/notes.txt")
                + " does not match the specified extensions: .yaml, .yml\n");
    }

    @Tag("cluster")
    @Test
    void clusterObjectsAreStoredAgainAtTheStorageVersion() {
        var client = Cluster.client();
        String ns = Cluster.namespace("migrate");
        String crdYaml = """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata:
                  name: widgets.migrate.currents.test
                  labels: {app.kubernetes.io/part-of: currents}
                spec:
                  group: migrate.currents.test
                  scope: Namespaced
                  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
                  versions:
                  - name: v1beta1
                    served: true
                    storage: %s
                    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
                  - name: v1
                    served: true
                    storage: %s
                    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
                """;
        var crds = client.apiextensions().v1().customResourceDefinitions();
        crds.resource(client.getKubernetesSerialization().unmarshal(crdYaml.formatted(true, false), CustomResourceDefinition.class))
                .serverSideApply();
        // a CRD just created has a status without conditions until the API server has looked at its names
        crds.withName("widgets.migrate.currents.test").waitUntilCondition(c -> c != null && c.getStatus() != null
                && c.getStatus().getConditions() != null && c.getStatus().getConditions().stream().anyMatch(x -> x.getType().equals("Established") && x.getStatus().equals("True")),
                30, TimeUnit.SECONDS);
        try {
            var old = new ResourceDefinitionContext.Builder().withGroup("migrate.currents.test").withVersion("v1beta1").withKind("Widget")
                    .withPlural("widgets").withNamespaced(true).build();
            client.genericKubernetesResources(old).inNamespace(ns).resource(client.getKubernetesSerialization().unmarshal(
                    "apiVersion: migrate.currents.test/v1beta1\nkind: Widget\nmetadata: {name: w}\nspec: {size: 1}\n",
                    GenericKubernetesResource.class)).fieldManager("flux").serverSideApply();
            crds.resource(client.getKubernetesSerialization().unmarshal(crdYaml.formatted(false, true), CustomResourceDefinition.class))
                    .serverSideApply();
            assertThat(crds.withName("widgets.migrate.currents.test").get().getStatus().getStoredVersions())
                    .containsExactlyInAnyOrder("v1beta1", "v1");

            Cli.Run r = Cluster.run(ns, "migrate");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.err()).startsWith("► starting migration of custom resources\n")
                    .contains("✔ Widget/" + ns + "/w migrated to version v1\n",
                            "✔ widgets.migrate.currents.test migrated to storage version v1\n")
                    .endsWith("✔ custom resources migrated successfully\n");
            assertThat(crds.withName("widgets.migrate.currents.test").get().getStatus().getStoredVersions()).containsExactly("v1");
            var current = new ResourceDefinitionContext.Builder().withGroup("migrate.currents.test").withVersion("v1").withKind("Widget")
                    .withPlural("widgets").withNamespaced(true).build();
            List<ManagedFieldsEntry> fields = client.genericKubernetesResources(current).inNamespace(ns).withName("w").get()
                    .getMetadata().getManagedFields();
            assertThat(fields).extracting(ManagedFieldsEntry::getApiVersion).containsOnly("migrate.currents.test/v1");
        } finally {
            crds.withName("widgets.migrate.currents.test").delete();
        }
    }
}
