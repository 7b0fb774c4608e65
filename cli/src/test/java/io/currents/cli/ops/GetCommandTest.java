package io.currents.cli.ops;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code currents get} lists objects of the real API server with flux's columns, filters and watches them. */
@Tag("cluster")
class GetCommandTest {

    static String ns;

    @BeforeAll
    static void objects() {
        ns = Cluster.namespace("get");
        Cluster.gitRepository(ns, "fleet");
        Cluster.kustomization(ns, "apps", "./apps");
        Cluster.create(ns, """
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata: {name: infra, labels: {tier: platform}}
                spec: {interval: 10m, path: ./infra, prune: true, suspend: true, sourceRef: {kind: GitRepository, name: fleet}}
                """);
        Cluster.storedArtifact(ns, "fleet", "main@sha1:0a1b2c3d", "2026-11-23T10:00:00Z");
        Cluster.appliedRevision(ns, "apps", "main@sha1:0a1b2c3d", "2026-11-23T10:00:00Z");
    }

    @Test
    void kustomizationsShowRevisionSuspendedReadyAndMessage() {
        Cli.Run r = Cluster.run(ns, "get", "kustomizations");
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("""
                NAME    REVISION             SUSPENDED   READY   MESSAGE
                apps    main@sha1:0a1b2c3d   False       True    Applied revision: main@sha1:0a1b2c3d
                infra                        True        False   waiting to be reconciled
                """);
        assertThat(Cluster.run(ns, "get", "ks", "apps").out()).contains("apps   main@sha1:0a1b2c3d").doesNotContain("infra");
    }

    @Test
    void allNamespacesPutsTheNamespaceFirst() {
        Cli.Run r = Cluster.run(ns, "get", "sources", "git", "-A");
        assertThat(r.code()).isZero();
        assertThat(r.out().lines().findFirst().orElseThrow()).startsWith("NAMESPACE").contains("   NAME   ");
        assertThat(r.out()).containsPattern(ns + " +fleet +main@sha1:0a1b2c3d +False +True +stored artifact for revision 'main@sha1:0a1b2c3d'");
    }

    @Test
    void labelSelectorFiltersByLabels() {
        Cli.Run r = Cluster.run(ns, "get", "ks", "-l", "tier=platform");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("infra").doesNotContain("apps");
        assertThat(Cluster.run(ns, "get", "ks", "--label-selector", "tier!=platform").out()).contains("apps").doesNotContain("infra");
        Cli.Run none = Cluster.run(ns, "get", "ks", "-l", "tier=nope");
        assertThat(none.out()).isEmpty();
        assertThat(none.err()).isEqualTo("✗ no Kustomization objects found in \"" + ns + "\" namespace\n");
    }

    @Test
    void statusSelectorFiltersByCondition() {
        Cli.Run r = Cluster.run(ns, "get", "ks", "--status-selector", "ready=false");
        assertThat(r.out()).contains("infra").doesNotContain("apps");
        assertThat(Cluster.run(ns, "get", "ks", "--status-selector", "Ready=True").out()).contains("apps").doesNotContain("infra");
        Cli.Run bad = Cluster.run(ns, "get", "ks", "--status-selector", "ready");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("expected status selector in type=status format");
    }

    @Test
    void getAllPrintsOneTablePerKindWithKindPrefixedNames() {
        Cli.Run r = Cluster.run(ns, "get", "all");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("gitrepository/fleet   ").containsPattern("kustomization/apps +main").contains("kustomization/infra");
        assertThat(r.out().indexOf("gitrepository/fleet")).isLessThan(r.out().indexOf("kustomization/apps"));
        assertThat(r.err()).isEmpty();
    }

    @Test
    void missingObjectsAreReportedOnStderr() {
        Cli.Run r = Cluster.run(ns, "get", "hr");
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("✗ no HelmRelease objects found in \"" + ns + "\" namespace\n");
        assertThat(Cluster.run(ns, "get", "ks", "nope").err()).contains("Kustomization object 'nope' not found");
    }

    @Test
    void outputYamlAndJsonIncludeStatus() {
        Cli.Run yaml = Cluster.run(ns, "get", "ks", "apps", "-o", "yaml");
        assertThat(yaml.out()).startsWith("---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n")
                .contains("lastAppliedRevision: main@sha1:0a1b2c3d");
        Cli.Run json = Cluster.run(ns, "get", "ks", "-o", "json");
        assertThat(json.out()).contains("\"kind\": \"List\"").contains("\"name\": \"infra\"");
        Cli.Run xml = Cluster.run(ns, "get", "ks", "-o", "xml");
        assertThat(xml.code()).isEqualTo(2);
        assertThat(xml.err()).contains("xml");
    }

    @Test
    void watchPrintsChangesUntilTheTimeout() throws Exception {
        String ns = Cluster.namespace("watch");
        Cluster.kustomization(ns, "watched", "./");
        java.io.StringWriter live = new java.io.StringWriter();
        // its own thread: the common pool has one thread on a 2-core machine, and the Kubernetes client needs it
        java.util.concurrent.ExecutorService thread = java.util.concurrent.Executors.newSingleThreadExecutor();
        java.util.concurrent.Future<Cli.Run> watching = thread.submit(
                () -> Cluster.run(live, ns, "get", "ks", "watched", "--watch", "--timeout", "15s"));
        thread.shutdown();
        long deadline = System.currentTimeMillis() + 20000;
        while (!live.toString().contains("waiting to be reconciled") && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        // no wait for the watch to start: a watch begins with every object's current state, and the command prints
        // each one whose version differs from the one its table showed, so a change made before the watch starts shows too
        Cluster.status(FluxKind.KUSTOMIZATION, ns, "watched", s -> s.put("conditions", List.of(Cluster.ready("False", "BuildFailed",
                "kustomize build failed: missing resource", "2026-11-23T10:05:00Z"))));
        Cli.Run r = watching.get();
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("NAME      REVISION   SUSPENDED   READY   MESSAGE\nwatched              False       False   waiting to be reconciled\n");
        assertThat(r.out()).endsWith("watched              False       False   kustomize build failed: missing resource\n");
        assertThat(r.out().lines().count()).isEqualTo(3);
    }
}
