package io.currents.helm.controller;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.currents.api.helm.v2.HelmRelease;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** A release left pending by an interrupted Helm action is unlocked (marked failed, as Flux does) and upgraded. */
@QuarkusTest
@QuarkusTestResource(value = HelmControllerTestResource.class, restrictToAnnotatedClass = false)
class HelmReleasePendingTest {

    @Test
    void aPendingReleaseIsUnlockedAndUpgraded() throws Exception {
        // What an interrupted `helm upgrade` leaves behind: the newest record in pending-upgrade.
        var s = installedThenLeftIn("hr-pending", "pending-upgrade", null);
        HelmRelease upgraded = s.await("app", hr -> "UpgradeSucceeded".equals(HelmScenario.reason(hr, "Ready"))
                && "1.1.0".equals(hr.getStatus().getHistory().getFirst().getChartVersion()));
        assertThat(upgraded.getStatus().getHistory().getFirst().getStatus()).isEqualTo("deployed");
        assertThat(upgraded.getStatus().getHistory()).noneMatch(h -> h.getStatus().startsWith("pending"));
        assertThat(s.events("app")).anyMatch(e -> "PendingRelease".equals(e.getReason())
                && e.getMessage().equals("Unlocked Helm release " + s.namespace + "/app.v1 with chart demo@1.0.0 in pending-upgrade state"));
        assertThat(upgraded.getStatus().getInventory().getEntries()).extracting(e -> e.getId() + "@" + e.getVersion())
                .containsExactly(s.namespace + "_app-config__ConfigMap@v1");
    }

    /**
     * What an interrupted first install leaves behind: the only record in pending-install. It is unlocked (failed) and,
     * as in Flux, the next action is an upgrade from that failed record (Helm upgrades a release whose records are all
     * failed), which deploys version 2.
     */
    @Test
    void aReleaseLeftPendingInstallIsUnlockedAndUpgraded() throws Exception {
        var s = installedThenLeftIn("hr-pending-install", "pending-install", "Initial install underway");
        HelmRelease upgraded = s.await("app", hr -> "UpgradeSucceeded".equals(HelmScenario.reason(hr, "Ready"))
                && "1.1.0".equals(hr.getStatus().getHistory().getFirst().getChartVersion()));
        assertThat(upgraded.getStatus().getHistory().getFirst().getVersion()).isEqualTo(2);
        assertThat(upgraded.getStatus().getHistory().getFirst().getStatus()).isEqualTo("deployed");
        assertThat(s.helmList(true)).noneMatch(r -> r.getStatus().startsWith("pending"));
        assertThat(s.events("app")).anyMatch(e -> "PendingRelease".equals(e.getReason())
                && e.getMessage().equals("Unlocked Helm release " + s.namespace + "/app.v1 with chart demo@1.0.0 in pending-install state"));
    }

    /**
     * A version this controller unlocked never completed, even once Helm marks it superseded (Helm's next upgrade does,
     * when the killed action had already superseded the deployed version): a rollback never returns to it.
     */
    @Test
    void aRollbackNeverReturnsToAnUnlockedVersion() throws Exception {
        var s = twoVersions("hr-unlocked");
        ReleaseStorage storage = new ReleaseStorage(s.client, s.namespace, s.namespace, "app");
        assertThat(storage.previousGood(3, false)).map(StoredRelease::version).contains(2);

        rewrite(s, 2, "superseded", ReleaseStorage.UNLOCKED_PREFIX + "pending-upgrade' state");
        // a ReleaseStorage keeps what it listed for one reconcile: the next reconcile reads the records anew
        storage = new ReleaseStorage(s.client, s.namespace, s.namespace, "app");
        assertThat(storage.previousGood(3, false)).as("v2 was unlocked: v1 is the newest that completed")
                .map(StoredRelease::version).contains(1);
    }

    /** As Flux's rollback target: a version whose test failed is skipped, unless test failures are ignored. */
    @Test
    void aRollbackSkipsAVersionWhoseTestFailedUnlessTestFailuresAreIgnored() throws Exception {
        var s = twoVersions("hr-failed-test");
        ReleaseStorage storage = new ReleaseStorage(s.client, s.namespace, s.namespace, "app");
        edit(s, 2, release -> release.putArray("hooks").addObject().put("name", "app-test").put("kind", "Pod")
                .<ObjectNode>set("events", new ObjectMapper().createArrayNode().add("test"))
                .putObject("last_run").put("phase", "Failed"));
        assertThat(storage.previousGood(3, false)).as("v2's test failed").map(StoredRelease::version).contains(1);
        assertThat(storage.previousGood(3, true)).as("test failures ignored").map(StoredRelease::version).contains(2);
    }

    /** Release {@code app} installed (v1) and upgraded (v2), its HelmRelease then suspended so the records stay as edited. */
    private static HelmScenario twoVersions(String prefix) {
        var s = new HelmScenario(prefix);
        s.apply(HelmScenario.helmRelease("app", "demo", ""));
        s.publishForRelease("app", HelmScenario.configMapChart("demo", "1.0.0"));
        s.awaitReady("app", "InstallSucceeded");
        s.publishForRelease("app", HelmScenario.configMapChart("demo", "1.1.0"));
        s.await("app", hr -> "UpgradeSucceeded".equals(HelmScenario.reason(hr, "Ready")));
        s.edit("app", hr -> {
            hr.getSpec().setSuspend(true);
            return hr;
        });
        return s;
    }

    /**
     * The HelmRelease {@code app} installed at 1.0.0, its record then rewritten to {@code status} while it was suspended
     * (what a killed action leaves), 1.1.0 published and the HelmRelease resumed.
     */
    private static HelmScenario installedThenLeftIn(String prefix, String status, String description) throws Exception {
        var s = new HelmScenario(prefix);
        s.apply(HelmScenario.helmRelease("app", "demo", ""));
        s.publishForRelease("app", HelmScenario.configMapChart("demo", "1.0.0"));
        s.awaitReady("app", "InstallSucceeded");
        s.edit("app", hr -> {
            hr.getSpec().setSuspend(true);
            return hr;
        });
        rewrite(s, 1, status, description);
        assertThat(s.helmList(true).getFirst().getStatus()).isEqualTo(status);
        s.publishForRelease("app", HelmScenario.configMapChart("demo", "1.1.0"));
        s.edit("app", hr -> {
            hr.getSpec().setSuspend(false);
            return hr;
        });
        return s;
    }

    /** Sets the status (and, when not null, the description) of a stored version, in its record and its label. */
    private static void rewrite(HelmScenario s, int version, String status, String description) throws Exception {
        edit(s, version, release -> {
            ((ObjectNode) release.get("info")).put("status", status);
            if (description != null) {
                ((ObjectNode) release.get("info")).put("description", description);
            }
        });
    }

    /** Changes the JSON record of a stored version (its Secret's {@code status} label follows the record's status). */
    private static void edit(HelmScenario s, int version, java.util.function.Consumer<ObjectNode> change) throws Exception {
        var secret = s.releaseSecret("app", version);
        ObjectMapper json = new ObjectMapper();
        byte[] gz = Base64.getDecoder().decode(new String(Base64.getDecoder().decode(secret.getData().get("release")), StandardCharsets.UTF_8));
        ObjectNode release = (ObjectNode) json.readTree(new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes());
        change.accept(release);
        String status = release.path("info").path("status").asText();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(json.writeValueAsBytes(release));
        }
        String encoded = Base64.getEncoder().encodeToString(Base64.getEncoder().encode(out.toByteArray()));
        s.client.secrets().inNamespace(s.namespace).withName(secret.getMetadata().getName()).edit(sec -> {
            sec.getData().put("release", encoded);
            sec.getMetadata().getLabels().put("status", status);
            return sec;
        });
    }
}
