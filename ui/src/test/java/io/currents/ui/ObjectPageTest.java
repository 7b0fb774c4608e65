package io.currents.ui;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static io.currents.ui.UiTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class ObjectPageTest extends UiPageTest {
    static final String SECRET_VALUE = "hunter2-very-secret";

    @Test
    void theObjectPageShowsConditionsEventsHistoryAndHelmReleases() throws Exception {
        String ns = namespace("ui-detail");
        kustomization(ns, "infra", "repo", "path: ./infra",
                readyStatus("True", "ReconciliationSucceeded", "Applied revision: main@sha1:1111")
                + "lastAppliedRevision: main@sha1:1111\n"
                + "history:\n- digest: sha256:aaaa\n  firstReconciled: '2026-12-01T10:00:00Z'\n  lastReconciled: '2026-12-05T09:00:00Z'\n"
                + "  lastReconciledDuration: 2s\n  lastReconciledStatus: ReconciliationSucceeded\n  totalReconciliations: 7\n"
                + "  metadata: {revision: 'main@sha1:1111'}\n");
        String now = Instant.now().toString();
        kube().v1().events().inNamespace(ns).resource(new EventBuilder().withNewMetadata().withName("infra.1").endMetadata()
                .withNewInvolvedObject().withKind("Kustomization").withName("infra").withNamespace(ns)
                .withApiVersion("kustomize.toolkit.fluxcd.io/v1").endInvolvedObject().withReason("ReconciliationSucceeded")
                .withMessage("Reconciliation finished in 2s, next run in 1m").withType("Normal")
                .withNewSource().withComponent("kustomize-controller").endSource().withFirstTimestamp(now).withLastTimestamp(now)
                .build()).create();
        awaitInStore("Kustomization", ns, "infra");

        String page = get(base, "/objects/Kustomization/" + ns + "/infra", TOKEN).body();
        assertThat(page).contains("data-condition=\"Ready\"", "Applied revision: main@sha1:1111",
                "Reconciliation finished in 2s, next run in 1m", "id=\"history\"", "sha256:aaaa", "totalReconciliations",
                "id=\"action-reconcile\"", "id=\"action-suspend\"");

        create(HR, """
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata: {name: podinfo, namespace: %s}
                spec: {interval: 5m, chart: {spec: {chart: podinfo, sourceRef: {kind: HelmRepository, name: charts}}}}
                """.formatted(ns), readyStatus("True", "InstallSucceeded", "Helm install succeeded")
                + "history:\n- name: podinfo\n  namespace: " + ns + "\n  version: 1\n  chartName: podinfo\n  chartVersion: 6.5.0\n"
                + "  appVersion: 6.5.0\n  configDigest: sha256:cfg\n  digest: sha256:rel\n  status: deployed\n"
                + "  firstDeployed: '2026-12-05T09:00:00Z'\n  lastDeployed: '2026-12-05T09:00:00Z'\n");
        kube().secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName("sh.helm.release.v1.podinfo.v1")
                .addToLabels(Map.of("owner", "helm", "name", "podinfo", "version", "1")).endMetadata()
                .withType("helm.sh/release.v1").addToData("release", Base64.getEncoder().encodeToString(helmRelease(1,
                        "{\"name\":\"podinfo\",\"version\":1,\"info\":{\"status\":\"deployed\",\"last_deployed\":\"2026-12-05T09:00:00Z\","
                                + "\"description\":\"Install complete\"},\"chart\":{\"metadata\":{\"name\":\"podinfo\",\"version\":\"6.5.0\","
                                + "\"appVersion\":\"6.5.0\"}},\"config\":{\"password\":\"" + SECRET_VALUE + "\"}}")))
                .build()).create();
        awaitInStore("HelmRelease", ns, "podinfo");
        String release = get(base, "/objects/HelmRelease/" + ns + "/podinfo", TOKEN).body();
        assertThat(release).contains("id=\"releases\"", "data-version=\"1\"", "Install complete", "podinfo-6.5.0",
                "id=\"action-force\"", "id=\"action-reset\"").doesNotContain(SECRET_VALUE);
    }

    @Test
    void secretValuesNeverAppearOnAnyPage() {
        String ns = namespace("ui-secret");
        String encoded = Base64.getEncoder().encodeToString(SECRET_VALUE.getBytes(StandardCharsets.UTF_8));
        kube().secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName("db").endMetadata()
                .addToData("password", encoded).addToStringData("token", SECRET_VALUE).build()).create();
        kube().configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("settings").endMetadata()
                .addToData("mode", "fast").build()).create();
        kustomization(ns, "secrets", "repo", "path: ./s",
                readyStatus("True", "ReconciliationSucceeded", "Applied revision: main@sha1:2222")
                + "inventory:\n  entries:\n  - {id: " + ns + "_db__Secret, v: v1}\n  - {id: " + ns + "_settings__ConfigMap, v: v1}\n");
        awaitInStore("Kustomization", ns, "secrets");

        String detail = get(base, "/objects/Kustomization/" + ns + "/secrets", TOKEN).body();
        assertThat(detail).contains("data-entry=\"" + ns + "_db__Secret\"", "data-entry=\"" + ns + "_settings__ConfigMap\"");
        String secretDiff = get(base, "/objects/Kustomization/" + ns + "/secrets?diff=" + ns + "_db__Secret", TOKEN).body();
        assertThat(secretDiff).contains("id=\"live-yaml\"", "password", LiveObjects.MASK);
        String configDiff = get(base, "/objects/Kustomization/" + ns + "/secrets?diff=" + ns + "_settings__ConfigMap", TOKEN).body();
        assertThat(configDiff).contains("mode: &quot;fast&quot;", "id=\"drift\"", ".data.mode");
        for (String page : new String[]{detail, secretDiff, configDiff,
                get(base, "/objects/Kustomization/" + ns + "/secrets/why", TOKEN).body(),
                get(base, "/?namespace=" + ns, TOKEN).body(), get(base, "/graph?namespace=" + ns, TOKEN).body()}) {
            assertThat(page).doesNotContain(SECRET_VALUE).doesNotContain(encoded);
        }
    }

    @Test
    void theGraphFoldsALargeInventoryWithItsHealthCounts() {
        String ns = namespace("ui-graph");
        StringBuilder inventory = new StringBuilder("inventory:\n  entries:\n");
        for (int i = 0; i < 12; i++) {
            if (i < 3) {
                kube().configMaps().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                        .withNewMetadata().withName("cm-" + i).endMetadata().build()).create();
            }
            inventory.append("  - {id: ").append(ns).append("_cm-").append(i).append("__ConfigMap, v: v1}\n");
        }
        kustomization(ns, "big", "elsewhere", "path: ./big",
                readyStatus("True", "ReconciliationSucceeded", "Applied revision: main@sha1:3333") + inventory);
        awaitInStore("Kustomization", ns, "big");

        String graph = get(base, "/graph?namespace=" + ns, TOKEN).body();
        int node = graph.indexOf("id=\"node-kustomization-" + ns + "-big\"");
        assertThat(node).isPositive();
        String group = graph.substring(graph.indexOf("class=\"inventory-group\"", node));
        assertThat(group).startsWith("class=\"inventory-group\" data-inventory-count=\"12\"");
        // more than 10 objects: closed, the summary counts them by health
        assertThat(group).contains("<details>", "Inventory: 12 objects (3 Current, 9 NotFound)</summary>",
                "data-entry=\"" + ns + "_cm-0__ConfigMap\" data-health=\"Current\"",
                "data-entry=\"" + ns + "_cm-11__ConfigMap\" data-health=\"NotFound\"");
    }

    static byte[] helmRelease(int version, String json) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(json.getBytes(StandardCharsets.UTF_8));
        }
        return Base64.getEncoder().encode(out.toByteArray());
    }
}
