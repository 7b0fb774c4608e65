package io.currents.cli.ops;

import io.currents.api.meta.FluxMeta;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code suspend} and {@code resume} flip spec.suspend; resume requests a reconcile and waits for Ready, bounded by --timeout. */
@Tag("cluster")
class SuspendResumeTest {

    private static String setUp() {
        String ns = Cluster.namespace("suspend");
        Cluster.kustomization(ns, "apps", "./");
        Cluster.kustomization(ns, "infra", "./");
        return ns;
    }

    private static boolean suspended(String ns, String name) {
        return FluxObjects.suspended(Cluster.get(FluxKind.KUSTOMIZATION, ns, name));
    }

    @Test
    void suspendSetsSpecSuspendOnOneOrAll() {
        String ns = setUp();
        Cli.Run one = Cluster.run(ns, "suspend", "kustomization", "apps");
        assertThat(one.code()).isZero();
        assertThat(one.err()).isEqualTo("► suspending kustomization apps in " + ns + " namespace\n✔ kustomization suspended\n");
        assertThat(suspended(ns, "apps")).isTrue();
        assertThat(suspended(ns, "infra")).isFalse();
        assertThat(Cluster.run(ns, "suspend", "ks", "--all").code()).isZero();
        assertThat(suspended(ns, "infra")).isTrue();
    }

    @Test
    void resumeWaitsForTheControllerAndReportsTheRevision() throws Exception {
        String ns = setUp();
        Cluster.run(ns, "suspend", "ks", "apps");
        try (var ks = new FakeController(FluxKind.KUSTOMIZATION, ns, "apps", true, "Applied revision: main@sha1:abc",
                Map.of("lastAppliedRevision", "main@sha1:abc"))) {
            Cli.Run r = Cluster.run(ns, "resume", "ks", "apps", "--timeout", "30s");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.err()).isEqualTo("""
                    ► resuming kustomization apps in %s namespace
                    ✔ kustomization resumed
                    ◎ waiting for Kustomization reconciliation
                    ✔ Kustomization reconciliation completed
                    ✔ applied revision main@sha1:abc
                    """.formatted(ns));
        }
        assertThat(suspended(ns, "apps")).isFalse();
    }

    @Test
    void resumeWithoutAControllerStopsAtTheTimeoutButStaysResumed() {
        String ns = setUp();
        Cluster.run(ns, "suspend", "ks", "apps");
        Cli.Run r = Cluster.run(ns, "resume", "ks", "apps", "--timeout", "2s");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("✔ kustomization resumed").contains("timed out after 2s");
        assertThat(suspended(ns, "apps")).isFalse();
        assertThat(Cluster.get(FluxKind.KUSTOMIZATION, ns, "apps").getMetadata().getAnnotations())
                .containsKey(FluxMeta.RECONCILE_REQUEST_ANNOTATION);
        Cli.Run noWait = Cluster.run(ns, "resume", "ks", "infra", "--wait=false");
        assertThat(noWait.code()).isZero();
    }

    @Test
    void aNameOrAllIsRequired() {
        String ns = setUp();
        Cli.Run r = Cluster.run(ns, "suspend", "source", "git");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("name of the source git to suspend is required (or pass --all)");
    }
}
