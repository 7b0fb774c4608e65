package io.currents.cli.ops;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * flux's commands for source-watcher's kinds: {@code get artifact generators}, {@code get sources external},
 * {@code export artifact generator}, {@code export source external} and {@code tree artifact generator}.
 */
@org.junit.jupiter.api.Tag(io.currents.testkit.UnitTests.CLUSTER_TAG)
class ArtifactGeneratorCommandsTest {

    static String ns;

    @BeforeAll
    static void objects() {
        ns = Cluster.namespace("artifacts");
        Cluster.create(ns, """
                apiVersion: source.extensions.fluxcd.io/v1beta1
                kind: ArtifactGenerator
                metadata: {name: shop}
                spec:
                  sources: [{alias: repo, kind: GitRepository, name: shop-repo}]
                  artifacts:
                    - {name: shop-api, copy: [{from: "@repo/api/**", to: "@artifact/"}]}
                    - {name: shop-web, copy: [{from: "@repo/web/**", to: "@artifact/"}]}
                """);
        Cluster.create(ns, """
                apiVersion: source.extensions.fluxcd.io/v1beta1
                kind: ArtifactGenerator
                metadata:
                  name: paused
                  annotations: {source.extensions.fluxcd.io/reconcile: Disabled}
                spec:
                  sources: [{alias: repo, kind: GitRepository, name: shop-repo}]
                  artifacts: [{name: paused-out, copy: [{from: "@repo/x", to: "@artifact/"}]}]
                """);
        Cluster.status(FluxKind.ARTIFACT_GENERATOR, ns, "shop", s -> {
            s.put("conditions", List.of(Cluster.ready("True", "Succeeded", "reconciliation succeeded, generated 2 artifact(s)",
                    "2026-11-23T10:00:00Z")));
            s.put("inventory", List.of(
                    Map.of("name", "shop-api", "namespace", ns, "digest", "sha256:aa", "filename", "1.tar.gz"),
                    Map.of("name", "shop-web", "namespace", ns, "digest", "sha256:bb", "filename", "2.tar.gz")));
        });
        Cluster.create(ns, """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: ExternalArtifact
                metadata: {name: shop-api}
                spec:
                  sourceRef: {apiVersion: source.extensions.fluxcd.io/v1beta1, kind: ArtifactGenerator, name: shop, namespace: %s}
                """.formatted(ns));
        Cluster.status(FluxKind.EXTERNAL_ARTIFACT, ns, "shop-api", s -> {
            s.putAll(Cluster.artifact("latest@sha256:aa"));
            s.put("conditions", List.of(Cluster.ready("True", "Succeeded", "Artifact is ready", "2026-11-23T10:00:00Z")));
        });
    }

    @Test
    void getArtifactGeneratorsShowsSuspendedFromTheReconcileAnnotation() {
        Cli.Run r = Cluster.run(ns, "get", "artifact", "generators");
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("""
                NAME     SUSPENDED   READY   MESSAGE
                paused   True        False   waiting to be reconciled
                shop     False       True    reconciliation succeeded, generated 2 artifact(s)
                """);
    }

    @Test
    void getSourcesExternalShowsRevisionAndProducer() {
        Cli.Run r = Cluster.run(ns, "get", "sources", "external");
        assertThat(r.code()).isZero();
        assertThat(r.out().lines().toList()).hasSize(2);
        assertThat(r.out()).containsPattern("NAME +REVISION +SOURCE +READY +MESSAGE")
                .containsPattern("shop-api +latest@sha256:aa +ArtifactGenerator/" + ns + "/shop +True +Artifact is ready");
        assertThat(Cluster.run(ns, "get", "sources", "all").out()).contains("externalartifact/shop-api");
    }

    @Test
    void treeArtifactGeneratorPrintsItsInventory() {
        Cli.Run r = Cluster.run(ns, "tree", "artifact", "generator", "shop");
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("""
                ArtifactGenerator/%1$s/shop
                ├── ExternalArtifact/%1$s/shop-api
                └── ExternalArtifact/%1$s/shop-web
                """.formatted(ns));
    }

    @Test
    void exportLeavesOutStatusAndServerFields() {
        Cli.Run generator = Cluster.run(ns, "export", "artifact", "generator", "shop");
        assertThat(generator.code()).isZero();
        assertThat(generator.out()).startsWith("---\napiVersion: source.extensions.fluxcd.io/v1beta1\nkind: ArtifactGenerator\n")
                .contains("alias: repo").doesNotContain("status:").doesNotContain("inventory").doesNotContain("uid:");
        Cli.Run external = Cluster.run(ns, "export", "source", "external", "shop-api");
        assertThat(external.out()).contains("kind: ExternalArtifact").contains("kind: ArtifactGenerator").doesNotContain("latest@sha256");
    }

    @Test
    void fluxHasNoSuspendOrReconcileForTheseKinds() {
        assertThat(Cluster.run(ns, "suspend", "source", "external", "shop-api").code()).isEqualTo(2);
        assertThat(Cluster.run(ns, "reconcile", "artifact", "generator", "shop").code()).isEqualTo(2);
    }
}
