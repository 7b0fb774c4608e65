package io.currents.cli.ops;

import io.currents.api.kustomize.v1.Kustomization;
import io.currents.runtime.apply.ApplyOptions;
import io.currents.runtime.apply.ChangeSet;
import io.currents.runtime.apply.Inventory;
import io.currents.runtime.apply.ServerSideApplier;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code currents diff kustomization}: a local build dry-run applied on the real API server as kustomize-controller,
 * compared with what is live. Exit 1 with the drifted fields, 0 when nothing would change, 4 when it cannot compare.
 */
@Tag("cluster")
class DiffCommandTest {

    private static String setUp(Path dir) throws Exception {
        String ns = Cluster.namespace("diff");
        Files.writeString(dir.resolve("kustomization.yaml"), "resources:\n- settings.yaml\n- creds.yaml\n- extra.yaml\n");
        Files.writeString(dir.resolve("settings.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: settings
                data:
                  color: blue
                  size: ${size}
                """);
        Files.writeString(dir.resolve("creds.yaml"), """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: creds
                stringData:
                  password: hunter2
                """);
        Files.writeString(dir.resolve("extra.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: extra
                data:
                  a: "1"
                """);
        Cluster.create(ns, """
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata: {name: app}
                spec:
                  interval: 10m
                  path: ./app
                  prune: true
                  targetNamespace: %s
                  postBuild: {substitute: {size: large}}
                  sourceRef: {kind: GitRepository, name: fleet}
                """.formatted(ns));
        return ns;
    }

    /** Applies the build as kustomize-controller would and records the inventory in the Kustomization's status. */
    private static void applyAsTheController(String ns, Path dir) {
        Kustomization k = LocalBuild.load(Cluster.client(), ns, "app", null);
        List<GenericKubernetesResource> objects = LocalBuild.build(k, dir, Cluster.client());
        ServerSideApplier applier = new ServerSideApplier(Cluster.client(), DiffCommand.FIELD_MANAGER);
        ChangeSet applied = applier.applyAllStaged(objects, ApplyOptions.kustomizeController(DiffCommand.FIELD_MANAGER));
        Map<String, Object> inventory = FluxObjects.map(new io.fabric8.kubernetes.client.utils.KubernetesSerialization()
                .convertValue(Inventory.of(applied).toResourceInventory(), Map.class));
        Cluster.status(FluxKind.KUSTOMIZATION, ns, "app", s -> s.put("inventory", inventory));
    }

    @Test
    void everythingIsCreatedOnAnEmptyCluster(@TempDir Path dir) throws Exception {
        String ns = setUp(dir);
        Cli.Run r = Cluster.run(ns, "diff", "kustomization", "app", "--path", dir.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        assertThat(r.out()).isEqualTo("""
                ► ConfigMap/%1$s/extra created
                ► ConfigMap/%1$s/settings created
                ► Secret/%1$s/creds created
                """.formatted(ns));
        assertThat(Cluster.client().configMaps().inNamespace(ns).withName("settings").get()).as("diff changes nothing").isNull();
    }

    @Test
    void noDriftExitsZeroAndAnEditIsReportedWithItsField(@TempDir Path dir) throws Exception {
        String ns = setUp(dir);
        applyAsTheController(ns, dir);
        Cli.Run clean = Cluster.run(ns, "diff", "ks", "app", "--path", dir.toString());
        assertThat(clean.code()).as(clean.err() + clean.out()).isZero();
        assertThat(clean.out()).isEmpty();
        assertThat(clean.err()).contains("no changes");

        // a hand edit in the cluster
        Cluster.client().configMaps().inNamespace(ns).withName("settings")
                .edit(cm -> { cm.getData().put("color", "red"); return cm; });
        Cli.Run drift = Cluster.run(ns, "diff", "ks", "app", "--path", dir.toString());
        assertThat(drift.code()).isEqualTo(1);
        assertThat(drift.out()).isEqualTo("""
                ► ConfigMap/%s/settings drifted

                data.color
                ± value change
                - red
                + blue

                """.formatted(ns));
        ConfigMap live = Cluster.client().configMaps().inNamespace(ns).withName("settings").get();
        assertThat(live.getData()).containsEntry("color", "red");
    }

    @Test
    void secretValuesAreNeverPrinted(@TempDir Path dir) throws Exception {
        String ns = setUp(dir);
        applyAsTheController(ns, dir);
        Files.writeString(dir.resolve("creds.yaml"), """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: creds
                stringData:
                  password: correct-horse
                """);
        Cli.Run r = Cluster.run(ns, "diff", "ks", "app", "--path", dir.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("► Secret/" + ns + "/creds drifted").contains("data.password\n± value change\n- *** (before)\n+ *** (after)")
                .doesNotContain("hunter2").doesNotContain("correct-horse")
                .doesNotContain("aHVudGVyMg==").doesNotContain("Y29ycmVjdC1ob3JzZQ==");
    }

    @Test
    void aWholeDataMapAndKubectlsLastAppliedCopyOfASecretAreMaskedToo(@TempDir Path dir) throws Exception {
        String ns = setUp(dir);
        // in the cluster: a Secret applied once with kubectl, whose data has since been emptied
        Cluster.client().secrets().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata()
                .withName("creds").addToAnnotations("kubectl.kubernetes.io/last-applied-configuration",
                        "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"data\":{\"password\":\"b2xkLXNlY3JldA==\"}}")
                .endMetadata().build()).create();
        // in Git: the same Secret exported with its annotation, and a password
        Files.writeString(dir.resolve("creds.yaml"), """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: creds
                  annotations:
                    kubectl.kubernetes.io/last-applied-configuration: '{"apiVersion":"v1","kind":"Secret","data":{"password":"bmV3LXNlY3JldA=="}}'
                stringData:
                  password: hunter2
                """);
        Cli.Run r = Cluster.run(ns, "diff", "ks", "app", "--path", dir.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        assertThat(r.out()).contains("► Secret/" + ns + "/creds drifted")
                .contains("password: '***'")
                .doesNotContain("hunter2").doesNotContain("aHVudGVyMg==")
                .doesNotContain("b2xkLXNlY3JldA==").doesNotContain("bmV3LXNlY3JldA==");
    }

    @Test
    void objectsRemovedFromTheBuildWouldBePruned(@TempDir Path dir) throws Exception {
        String ns = setUp(dir);
        applyAsTheController(ns, dir);
        Files.delete(dir.resolve("extra.yaml"));
        Files.writeString(dir.resolve("kustomization.yaml"), "resources:\n- settings.yaml\n- creds.yaml\n");
        Cli.Run r = Cluster.run(ns, "diff", "ks", "app", "--path", dir.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).isEqualTo("► ConfigMap/" + ns + "/extra deleted\n");
    }

    @Test
    void errorsExitWithFour(@TempDir Path dir) throws Exception {
        String ns = setUp(dir);
        Files.writeString(dir.resolve("kustomization.yaml"), "resources:\n- missing.yaml\n");
        Cli.Run broken = Cluster.run(ns, "diff", "ks", "app", "--path", dir.toString());
        assertThat(broken.code()).isEqualTo(4);
        assertThat(broken.err()).startsWith("✗ kustomize build failed");
        Cli.Run missing = Cluster.run(ns, "diff", "ks", "nope", "--path", dir.toString());
        assertThat(missing.code()).isEqualTo(4);
        assertThat(missing.err()).contains("Kustomization '" + ns + "/nope' not found");
    }
}
