package io.currents.cli.ops;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tree}, {@code trace} and {@code events} read inventories, owner labels and events from the real API server. */
@Tag("cluster")
class TreeTraceEventsTest {

    private static Map<String, Object> entry(String id, String version) {
        return Map.of("id", id, "v", version);
    }

    @Test
    void treeDescendsIntoKustomizationsAndHelmReleases() throws Exception {
        String ns = Cluster.namespace("tree");
        Cluster.kustomization(ns, "root", "./clusters/prod");
        Cluster.kustomization(ns, "apps", "./apps");
        Cluster.create(ns, """
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata: {name: podinfo}
                spec: {interval: 10m, chart: {spec: {chart: podinfo, sourceRef: {kind: HelmRepository, name: podinfo}}}}
                """);
        Cluster.status(FluxKind.KUSTOMIZATION, ns, "root", s -> s.put("inventory", Map.of("entries", List.of(
                entry("_" + ns + "__Namespace", "v1"),
                entry(ns + "_apps_kustomize.toolkit.fluxcd.io_Kustomization", "v1"),
                entry(ns + "_fleet_source.toolkit.fluxcd.io_GitRepository", "v1")))));
        Cluster.status(FluxKind.KUSTOMIZATION, ns, "apps", s -> s.put("inventory", Map.of("entries", List.of(
                entry(ns + "_web_apps_Deployment", "v1"),
                entry(ns + "_podinfo_helm.toolkit.fluxcd.io_HelmRelease", "v2"),
                // a cycle back to the root is shown once and not followed
                entry(ns + "_root_kustomize.toolkit.fluxcd.io_Kustomization", "v1")))));
        // Helm's storage of the release: base64(gzip(JSON)) in the Secret's data
        String release = "{\"name\":\"podinfo\",\"manifest\":\"---\\napiVersion: v1\\nkind: Service\\nmetadata:\\n  name: podinfo\\n"
                + "---\\napiVersion: apps/v1\\nkind: Deployment\\nmetadata:\\n  name: podinfo\\n\"}";
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(release.getBytes(StandardCharsets.UTF_8));
        }
        String helmEncoded = Base64.getEncoder().encodeToString(gz.toByteArray());
        Cluster.client().secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName("sh.helm.release.v1.podinfo.v1")
                .addToLabels(Map.of("owner", "helm", "name", "podinfo", "version", "1", "status", "deployed")).endMetadata()
                .withType("helm.sh/release.v1")
                .addToData("release", Base64.getEncoder().encodeToString(helmEncoded.getBytes(StandardCharsets.UTF_8))).build()).create();

        Cli.Run r = Cluster.run(ns, "tree", "kustomization", "root");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                Kustomization/%1$s/root
                ├── Namespace/%1$s
                ├── Kustomization/%1$s/apps
                │   ├── Deployment/%1$s/web
                │   ├── HelmRelease/%1$s/podinfo
                │   │   ├── Service/%1$s/podinfo
                │   │   └── Deployment/%1$s/podinfo
                │   └── Kustomization/%1$s/root
                └── GitRepository/%1$s/fleet
                """.formatted(ns));
        Cli.Run compact = Cluster.run(ns, "tree", "ks", "root", "--compact");
        assertThat(compact.out()).doesNotContain("Deployment").doesNotContain("Namespace/").contains("HelmRelease/" + ns + "/podinfo");
    }

    @Test
    void traceFindsTheKustomizationAndItsSourceFromOwnerLabels() {
        String ns = Cluster.namespace("trace");
        Cluster.gitRepository(ns, "fleet");
        Cluster.kustomization(ns, "apps", "./apps");
        Cluster.storedArtifact(ns, "fleet", "main@sha1:abc", "2026-11-23T09:59:00Z");
        Cluster.appliedRevision(ns, "apps", "main@sha1:abc", "2026-11-23T10:00:00Z");
        Cluster.client().configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("settings")
                .addToLabels(Map.of("kustomize.toolkit.fluxcd.io/name", "apps", "kustomize.toolkit.fluxcd.io/namespace", ns))
                .endMetadata().build()).create();
        Cluster.client().configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("by-hand")
                .endMetadata().build()).create();

        Cli.Run r = Cluster.run(ns, "trace", "settings", "--kind", "ConfigMap", "--api-version", "v1");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""

                Object:          ConfigMap/settings
                Namespace:       %1$s
                Status:          Managed by Flux
                ---
                Kustomization:   apps
                Namespace:       %1$s
                Path:            ./apps
                Revision:        main@sha1:abc
                Status:          Last reconciled at 2026-11-23 10:00:00 +0000 UTC
                Message:         Applied revision: main@sha1:abc
                ---
                GitRepository:   fleet
                Namespace:       %1$s
                URL:             https://git.example.com/fleet.git
                Branch:          main
                Revision:        main@sha1:abc
                Status:          Last reconciled at 2026-11-23 09:59:00 +0000 UTC
                Message:         stored artifact for revision 'main@sha1:abc'
                """.formatted(ns));
        // every argument form of flux trace names the same object, the apiVersion found by discovery
        for (String[] form : new String[][] {{"settings", "--kind", "ConfigMap"}, {"configmap", "settings"}, {"cm/settings"},
                {"configmaps", "settings", "--api-version", "v1"}}) {
            String[] args = new String[form.length + 1];
            args[0] = "trace";
            System.arraycopy(form, 0, args, 1, form.length);
            Cli.Run same = Cluster.run(ns, args);
            assertThat(same.out()).as(String.join(" ", form)).isEqualTo(r.out());
        }
        Cluster.client().configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("more")
                .addToLabels(Map.of("kustomize.toolkit.fluxcd.io/name", "apps", "kustomize.toolkit.fluxcd.io/namespace", ns))
                .endMetadata().build()).create();
        Cli.Run two = Cluster.run(ns, "trace", "cm", "settings", "more");
        assertThat(two.code()).as(two.err()).isZero();
        assertThat(two.out()).startsWith(r.out()).contains("Object:          ConfigMap/more");
        Cli.Run noKind = Cluster.run(ns, "trace", "settings");
        assertThat(noKind.code()).isEqualTo(2);
        assertThat(noKind.err()).startsWith("✗ object kind is required");
        Cli.Run unmanaged = Cluster.run(ns, "trace", "configmap/by-hand", "--api-version", "v1");
        assertThat(unmanaged.code()).isEqualTo(1);
        assertThat(unmanaged.err()).startsWith("✗ ");
        assertThat(unmanaged.err()).contains("ConfigMap by-hand is not managed by Flux");
    }

    @Test
    void eventsOfAKustomizationIncludeItsSourceAndSkipOtherObjects() {
        String ns = Cluster.namespace("events");
        Cluster.kustomization(ns, "apps", "./apps");
        String now = Instant.now().toString();
        record E(String name, String apiVersion, String kind, String object, String type, String reason, String message) {
        }
        for (E e : List.of(
                new E("apps.1", "kustomize.toolkit.fluxcd.io/v1", "Kustomization", "apps", "Normal", "ReconciliationSucceeded",
                        "Reconciliation finished in 1s, next run in 10m0s"),
                new E("fleet.1", "source.toolkit.fluxcd.io/v1", "GitRepository", "fleet", "Warning", "GitOperationFailed",
                        "failed to checkout: authentication required"),
                new E("other.1", "source.toolkit.fluxcd.io/v1", "GitRepository", "other", "Normal", "NewArtifact", "stored artifact"),
                new E("cm.1", "v1", "ConfigMap", "settings", "Normal", "Updated", "not a Flux object"))) {
            Cluster.client().v1().events().inNamespace(ns).resource(new EventBuilder().withNewMetadata().withName(e.name()).endMetadata()
                    .withNewInvolvedObject().withApiVersion(e.apiVersion()).withKind(e.kind()).withName(e.object()).withNamespace(ns)
                    .endInvolvedObject().withType(e.type()).withReason(e.reason()).withMessage(e.message())
                    .withFirstTimestamp(now).withLastTimestamp(now).build()).create();
        }
        Cli.Run forApps = Cluster.run(ns, "events", "--for", "Kustomization/apps");
        assertThat(forApps.code()).as(forApps.err()).isZero();
        assertThat(forApps.out().lines().findFirst().orElseThrow()).matches("LAST SEEN +TYPE +REASON +OBJECT +MESSAGE");
        assertThat(forApps.out()).containsPattern("\\d+s +Normal +ReconciliationSucceeded +Kustomization/apps +Reconciliation finished")
                .contains("GitOperationFailed").doesNotContain("other").doesNotContain("not a Flux object");
        Cli.Run all = Cluster.run(ns, "events");
        assertThat(all.out()).contains("GitRepository/other").doesNotContain("ConfigMap/settings");
        Cli.Run warnings = Cluster.run(ns, "events", "--types", "Warning");
        assertThat(warnings.out()).contains("GitOperationFailed").doesNotContain("ReconciliationSucceeded").doesNotContain("NewArtifact");
        Cli.Run both = Cluster.run(ns, "events", "--types", "warning,Normal");
        assertThat(both.out()).contains("GitOperationFailed").contains("NewArtifact");
        Cli.Run bad = Cluster.run(ns, "events", "--for", "apps");
        assertThat(bad.err()).contains("invalid --for 'apps'; use <Kind>/<name>");
    }

    @Test
    void eventsWatchPrintsNewEventsAsTheyCome() throws Exception {
        String ns = Cluster.namespace("events-watch");
        java.io.StringWriter live = new java.io.StringWriter();
        // its own thread: the common pool has one thread on a 2-core machine, and the Kubernetes client needs it
        var thread = java.util.concurrent.Executors.newSingleThreadExecutor();
        var watching = thread.submit(() -> Cluster.run(live, ns, "events", "--watch", "--timeout", "15s"));
        thread.shutdown();
        // no wait for the watch to start: the command watches from its listing's version, so an event created before
        // the listing is in the table, one created after reaches the watch, and either way it is printed once
        String now = Instant.now().toString();
        Cluster.client().v1().events().inNamespace(ns).resource(new EventBuilder().withNewMetadata().withName("apps.watch").endMetadata()
                .withNewInvolvedObject().withApiVersion("kustomize.toolkit.fluxcd.io/v1").withKind("Kustomization").withName("apps")
                .withNamespace(ns).endInvolvedObject().withType("Warning").withReason("HealthCheckFailed")
                .withMessage("timeout waiting for: [Deployment/apps/web status: 'InProgress']")
                .withFirstTimestamp(now).withLastTimestamp(now).build()).create();
        Cli.Run r = watching.get();
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("LAST SEEN").containsPattern("Warning +HealthCheckFailed +Kustomization/apps +timeout waiting for");
        assertThat(r.out().split("HealthCheckFailed", -1)).as(r.out()).hasSize(2);
    }

    @Test
    void treeAndExportPrintYamlOrJsonOnRequest() {
        String ns = Cluster.namespace("tree-o");
        Cluster.kustomization(ns, "root", "./");
        Cluster.status(FluxKind.KUSTOMIZATION, ns, "root", s -> s.put("inventory", Map.of("entries", List.of(
                entry(ns + "_web_apps_Deployment", "v1")))));
        Cli.Run yaml = Cluster.run(ns, "tree", "ks", "root", "-o", "yaml");
        assertThat(yaml.out()).isEqualTo("""
                ---
                resource:
                  kind: Kustomization
                  name: root
                  namespace: %1$s
                resources:
                - resource:
                    kind: Deployment
                    name: web
                    namespace: %1$s
                """.formatted(ns));
        Cli.Run json = Cluster.run(ns, "export", "ks", "root", "-o", "json");
        assertThat(json.out()).contains("\"kind\": \"Kustomization\"").contains("\"path\": \"./\"").doesNotContain("inventory");
    }
}
