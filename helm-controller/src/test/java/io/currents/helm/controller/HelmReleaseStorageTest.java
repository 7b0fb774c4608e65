package io.currents.helm.controller;

import com.marcnuri.helm.Helm;
import io.currents.api.helm.v2.HelmRelease;
import io.currents.testkit.ControlPlane;
import io.currents.testkit.artifact.Tarball;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Releases are stored where Flux stores them (the HelmRelease's namespace, or {@code spec.storageNamespace}) under Flux's
 * release name, so a release Flux made is taken over and upgraded in place, and releases an earlier Currents stored in
 * the target namespace are moved, not reinstalled.
 */
@QuarkusTest
@QuarkusTestResource(value = HelmControllerTestResource.class, restrictToAnnotatedClass = false)
class HelmReleaseStorageTest {

    @Test
    void aReleaseFluxMadeIsAdoptedAndUpgradedInPlaceWithoutAReinstall() throws Exception {
        var s = new HelmScenario("hr-adopt");
        String target = ControlPlane.shared().createNamespace("hr-adopt-apps");
        String release = target + "-app";
        // What Flux leaves behind: Helm's record of revision 1 in the HelmRelease's namespace, the objects in the target.
        helmInstall(release, target, HelmScenario.configMapChart("demo", "1.0.0"));
        moveRecord(s, release + ".v1", target, s.namespace);
        String uid = s.client.configMaps().inNamespace(target).withName(release + "-config").get().getMetadata().getUid();

        s.apply(HelmScenario.helmRelease("app", "demo", "targetNamespace: " + target + "\n"));
        s.publishForRelease("app", HelmScenario.configMapChart("demo", "2.0.0"));
        HelmRelease upgraded = s.awaitReady("app", "UpgradeSucceeded");

        assertThat(HelmScenario.message(upgraded, "Ready"))
                .isEqualTo("Helm upgrade succeeded for release " + target + "/" + release + ".v2 with chart demo@2.0.0");
        assertThat(upgraded.getStatus().getStorageNamespace()).isEqualTo(s.namespace);
        assertThat(upgraded.getStatus().getHistory()).extracting(h -> h.getVersion() + ":" + h.getStatus() + ":" + h.getNamespace())
                .containsExactly("2:deployed:" + target, "1:superseded:" + target);
        assertThat(s.releaseSecret(release, 1).getMetadata().getLabels()).containsEntry("status", "superseded");
        assertThat(s.releaseSecret(release, 2).getMetadata().getLabels()).containsEntry("status", "deployed");
        assertThat(recordsIn(s, target, release)).isZero();
        ConfigMap config = s.client.configMaps().inNamespace(target).withName(release + "-config").get();
        assertThat(config.getMetadata().getUid()).as("the object was upgraded, not recreated").isEqualTo(uid);
        assertThat(config.getData()).containsEntry("chartVersion", "2.0.0");
        assertThat(s.events("app")).noneMatch(e -> "InstallSucceeded".equals(e.getReason()));
    }

    @Test
    void releasesStoredInTheTargetNamespaceByAnEarlierCurrentsAreMovedAndKeptWithoutAReinstall() throws Exception {
        var s = new HelmScenario("hr-migrate");
        String target = ControlPlane.shared().createNamespace("hr-migrate-apps");
        String release = target + "-app";
        helmInstall(release, target, HelmScenario.configMapChart("demo", "1.0.0"));

        s.apply(HelmScenario.helmRelease("app", "demo", "targetNamespace: " + target + "\n"));
        s.publishForRelease("app", HelmScenario.configMapChart("demo", "1.0.0"));
        HelmRelease kept = s.await("app", hr -> "True".equals(HelmScenario.status(hr, "Ready")));
        assertThat(kept.getStatus().getStorageNamespace()).isEqualTo(s.namespace);
        assertThat(kept.getStatus().getHistory()).extracting(h -> h.getVersion() + ":" + h.getStatus()).containsExactly("1:deployed");
        assertThat(s.releaseSecret(release, 1)).isNotNull();
        assertThat(recordsIn(s, target, release)).isZero();

        s.publishForRelease("app", HelmScenario.configMapChart("demo", "1.1.0"));
        HelmRelease upgraded = s.awaitReady("app", "UpgradeSucceeded");
        assertThat(upgraded.getStatus().getHistory()).extracting(h -> h.getVersion() + ":" + h.getStatus())
                .containsExactly("2:deployed", "1:superseded");
        assertThat(recordsIn(s, target, release)).isZero();
    }

    @Test
    void storageNamespaceKeepsTheRecordsThereThroughInstallAndUninstall() {
        var s = new HelmScenario("hr-storage");
        String storage = ControlPlane.shared().createNamespace("hr-storage-records");
        s.apply(HelmScenario.helmRelease("app", "demo", "storageNamespace: " + storage + "\n"));
        s.publishForRelease("app", HelmScenario.configMapChart("demo", "1.0.0"));
        HelmRelease installed = s.awaitReady("app", "InstallSucceeded");

        assertThat(installed.getStatus().getStorageNamespace()).isEqualTo(storage);
        assertThat(s.client.secrets().inNamespace(storage).withName("sh.helm.release.v1.app.v1").get()).isNotNull();
        assertThat(s.releaseSecret("app", 1)).isNull();
        assertThat(s.configMap("app-config")).isNotNull();
        assertThat(Helm.list().withNamespace(storage).withKubeConfig(HelmScenario.kubeconfig()).call())
                .extracting(r -> r.getName() + ":" + r.getStatus()).containsExactly("app:deployed");

        s.client.resources(HelmRelease.class).inNamespace(s.namespace).withName("app").delete();
        s.client.resources(HelmRelease.class).inNamespace(s.namespace).withName("app")
                .waitUntilCondition(java.util.Objects::isNull, 60, TimeUnit.SECONDS);
        assertThat(s.configMap("app-config")).isNull();
        assertThat(recordsIn(s, storage, "app")).isZero();
        assertThat(recordsIn(s, s.namespace, "app")).isZero();
    }

    @Test
    void installReplaceReusesTheNameOfAReleaseUninstalledWithItsHistoryKept() throws Exception {
        var s = new HelmScenario("hr-replace");
        helmInstall("app", s.namespace, HelmScenario.configMapChart("demo", "0.9.0"));
        Helm.uninstall("app").withNamespace(s.namespace).withKubeConfig(HelmScenario.kubeconfig()).keepHistory().call();
        assertThat(s.releaseSecret("app", 1).getMetadata().getLabels()).containsEntry("status", "uninstalled");

        s.apply(HelmScenario.helmRelease("app", "demo", """
                install:
                  replace: true
                """));
        s.publishForRelease("app", HelmScenario.configMapChart("demo", "1.0.0"));
        HelmRelease installed = s.awaitReady("app", "InstallSucceeded");

        assertThat(HelmScenario.message(installed, "Ready")).endsWith("/app.v2 with chart demo@1.0.0");
        assertThat(installed.getStatus().getHistory()).extracting(h -> h.getVersion() + ":" + h.getStatus() + ":" + h.getChartVersion())
                .containsExactly("2:deployed:1.0.0", "1:superseded:0.9.0");
        assertThat(s.helmHistory("app")).extracting(h -> h.getRevision() + ":" + h.getStatus())
                .containsExactly("1:superseded", "2:deployed");
        assertThat(s.client.secrets().inNamespace(s.namespace).list().getItems())
                .noneMatch(secret -> secret.getMetadata().getName().endsWith(".replaced"));
        assertThat(s.configMap("app-config").getData()).containsEntry("chartVersion", "1.0.0");
    }

    /** {@code helm install <release> chart.tgz -n <namespace>}. */
    private static void helmInstall(String release, String namespace, java.util.Map<String, String> chart) throws Exception {
        Path dir = Files.createTempDirectory("flux-made-");
        Path tgz = dir.resolve("chart.tgz");
        Files.write(tgz, Tarball.of(chart));
        new Helm(tgz).install().withName(release).withNamespace(namespace).withKubeConfig(HelmScenario.kubeconfig()).call();
    }

    /** Moves Helm's record Secret between namespaces unchanged (name, type, labels, data). */
    private static void moveRecord(HelmScenario s, String version, String from, String to) {
        Secret record = s.client.secrets().inNamespace(from).withName("sh.helm.release.v1." + version).get();
        Secret copy = new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata().withName(record.getMetadata().getName()).withNamespace(to)
                .withLabels(record.getMetadata().getLabels()).endMetadata()
                .withType(record.getType()).withData(record.getData()).build();
        s.client.secrets().inNamespace(to).resource(copy).create();
        s.client.secrets().inNamespace(from).withName(record.getMetadata().getName()).delete();
    }

    private static long recordsIn(HelmScenario s, String namespace, String release) {
        return s.client.secrets().inNamespace(namespace).withLabel("owner", "helm").withLabel("name", release).list().getItems().size();
    }
}
