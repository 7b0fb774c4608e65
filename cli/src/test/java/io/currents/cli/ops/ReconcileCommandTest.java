package io.currents.cli.ops;

import io.currents.api.meta.FluxMeta;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code currents reconcile} writes the reconcile request annotation and waits for the controller's answer in
 * {@code status.lastHandledReconcileAt}. No controller runs here: a test thread answers on the real API server
 * as one would (the e2e module covers the real controllers).
 */
@Tag("cluster")
class ReconcileCommandTest {

    private static String setUp() {
        String ns = Cluster.namespace("reconcile");
        Cluster.gitRepository(ns, "fleet");
        Cluster.kustomization(ns, "apps", "./apps");
        return ns;
    }

    @Test
    void withSourceReconcilesTheSourceFirstThenTheKustomization() throws Exception {
        String ns = setUp();
        try (var git = new FakeController(FluxKind.GIT_REPOSITORY, ns, "fleet", true, "stored artifact",
                Cluster.artifact("main@sha1:abc"));
             var ks = new FakeController(FluxKind.KUSTOMIZATION, ns, "apps", true, "Applied revision: main@sha1:abc",
                     Map.of("lastAppliedRevision", "main@sha1:abc"))) {
            Cli.Run r = Cluster.run(ns, "reconcile", "kustomization", "apps", "--with-source", "--timeout", "30s");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.err()).isEqualTo("""
                    ► annotating GitRepository fleet in %1$s namespace
                    ✔ GitRepository annotated
                    ◎ waiting for GitRepository reconciliation
                    ✔ GitRepository reconciliation completed
                    ✔ fetched revision main@sha1:abc
                    ► annotating Kustomization apps in %1$s namespace
                    ✔ Kustomization annotated
                    ◎ waiting for Kustomization reconciliation
                    ✔ Kustomization reconciliation completed
                    ✔ applied revision main@sha1:abc
                    """.formatted(ns));
        }
        GenericKubernetesResource apps = Cluster.get(FluxKind.KUSTOMIZATION, ns, "apps");
        String requested = apps.getMetadata().getAnnotations().get(FluxMeta.RECONCILE_REQUEST_ANNOTATION);
        assertThat(requested).isNotBlank();
        assertThat(FluxObjects.status(apps).get("lastHandledReconcileAt")).isEqualTo(requested);
    }

    @Test
    void aFailedReconciliationExitsNonZeroWithTheControllersMessage() throws Exception {
        String ns = setUp();
        try (var ks = new FakeController(FluxKind.KUSTOMIZATION, ns, "apps", false, "kustomize build failed: accumulating resources",
                Map.of())) {
            Cli.Run r = Cluster.run(ns, "reconcile", "ks", "apps", "--timeout", "30s");
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).contains("◎ waiting for Kustomization reconciliation")
                    .endsWith("✗ Kustomization reconciliation failed: kustomize build failed: accumulating resources\n");
        }
    }

    @Test
    void withoutAnAnswerTheWaitEndsAtTheTimeoutAndTheRequestStays() {
        String ns = setUp();
        long start = System.nanoTime();
        Cli.Run r = Cluster.run(ns, "reconcile", "source", "git", "fleet", "--timeout", "2s");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("✔ GitRepository annotated")
                .contains("timed out after 2s waiting for GitRepository " + ns + "/fleet to be reconciled");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(20_000);
        assertThat(Cluster.get(FluxKind.GIT_REPOSITORY, ns, "fleet").getMetadata().getAnnotations())
                .containsKey(FluxMeta.RECONCILE_REQUEST_ANNOTATION);
    }

    @Test
    void anOldAnswerDoesNotCountForANewRequest() throws Exception {
        String ns = setUp();
        // a previous request was handled; the new one must wait for its own token
        Cluster.status(FluxKind.KUSTOMIZATION, ns, "apps", s -> {
            s.put("lastHandledReconcileAt", "2020-01-01T00:00:00Z");
            s.put("observedGeneration", 1);
            s.put("conditions", java.util.List.of(Cluster.ready("True", "ReconciliationSucceeded", "old", "2020-01-01T00:00:00Z")));
        });
        Cli.Run r = Cluster.run(ns, "reconcile", "ks", "apps", "--timeout", "2s");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("timed out after 2s");
    }

    @Test
    void suspendedAndMissingObjectsAreRefusedWithAnAction() {
        String ns = setUp();
        assertThat(Cluster.run(ns, "suspend", "ks", "apps").code()).isZero();
        Cli.Run suspended = Cluster.run(ns, "reconcile", "ks", "apps");
        assertThat(suspended.code()).isEqualTo(1);
        assertThat(suspended.err()).contains("Kustomization " + ns + "/apps is suspended; run 'currents resume kustomization apps' first");
        Cli.Run missing = Cluster.run(ns, "reconcile", "ks", "nope");
        assertThat(missing.err()).contains("Kustomization '" + ns + "/nope' not found");
    }

    @Test
    void forceAndResetWriteFluxsAnnotationsWithTheRequestToken() throws Exception {
        String ns = Cluster.namespace("reconcile-hr");
        Cluster.create(ns, """
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata:
                  name: web
                spec:
                  interval: 1h
                  chart:
                    spec:
                      chart: web
                      sourceRef:
                        kind: HelmRepository
                        name: charts
                """);
        try (var hr = new FakeController(FluxKind.HELM_RELEASE, ns, "web", true, "Helm upgrade succeeded", Map.of())) {
            Cli.Run r = Cluster.run(ns, "reconcile", "hr", "web", "--force", "--reset", "--timeout", "30s");
            assertThat(r.code()).as(r.err()).isZero();
        }
        Map<String, String> annotations = Cluster.get(FluxKind.HELM_RELEASE, ns, "web").getMetadata().getAnnotations();
        String requested = annotations.get(FluxMeta.RECONCILE_REQUEST_ANNOTATION);
        assertThat(requested).isNotBlank();
        assertThat(annotations).containsEntry(FluxMeta.FORCE_REQUEST_ANNOTATION, requested)
                .containsEntry(FluxMeta.RESET_REQUEST_ANNOTATION, requested);

        Cli.Run wrongKind = Cluster.run(ns, "reconcile", "ks", "apps", "--force");
        assertThat(wrongKind.code()).isEqualTo(2);
        assertThat(wrongKind.err()).contains("--force and --reset work for helmreleases only");
    }
}
