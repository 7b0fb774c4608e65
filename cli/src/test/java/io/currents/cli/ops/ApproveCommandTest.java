package io.currents.cli.ops;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code approve prune kustomization}: writes the blocked revision from status.blockedPrune into
 * {@code currents.io/prune-approved-revision} with a reconcile request, lists what will be deleted, and waits.
 */
@Tag("cluster")
class ApproveCommandTest {

    private static final String REVISION = "main@sha1:4b825dc642cb6eb9a060e54bf8d69288fbee4904";

    @Test
    void approvingWritesTheBlockedRevisionAndWaitsForTheReconcile() throws Exception {
        String ns = Cluster.namespace("approve");
        Cluster.kustomization(ns, "apps", "./");
        Cluster.status(FluxKind.KUSTOMIZATION, ns, "apps", status -> status.put("blockedPrune", Map.of(
                "revision", REVISION, "message", "prune blocked",
                "entries", List.of(Map.of("id", ns + "_web__ConfigMap", "v", "v1"), Map.of("id", ns + "_web_apps_Deployment", "v", "v1")))));
        try (var ks = new FakeController(FluxKind.KUSTOMIZATION, ns, "apps", true, "Applied revision: " + REVISION,
                Map.of("lastAppliedRevision", REVISION))) {
            Cli.Run r = Cluster.run(ns, "approve", "prune", "kustomization", "apps", "--timeout", "30s");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.err()).isEqualTo("""
                    ⚠ approving the deletion of 2 object(s) at revision %s
                    ⚠   ConfigMap/%s/web
                    ⚠   Deployment/%s/web
                    ► annotating Kustomization apps in %s namespace with currents.io/prune-approved-revision=%s
                    ✔ prune approved for revision %s
                    ◎ waiting for Kustomization reconciliation
                    ✔ Kustomization reconciliation completed
                    ✔ applied revision %s
                    """.formatted(REVISION, ns, ns, ns, REVISION, REVISION, REVISION));
        }
        assertThat(Cluster.get(FluxKind.KUSTOMIZATION, ns, "apps").getMetadata().getAnnotations())
                .containsEntry("currents.io/prune-approved-revision", REVISION);
    }

    @Test
    void withoutABlockedPruneNothingIsWritten() {
        String ns = Cluster.namespace("approve-none");
        Cluster.kustomization(ns, "apps", "./");
        Cli.Run r = Cluster.run(ns, "approve", "prune", "ks", "apps");
        assertThat(r.code()).isEqualTo(io.currents.cli.output.ExitCodes.USAGE);
        assertThat(r.err()).contains("has no blocked prune (status.blockedPrune is empty)");
        var annotations = Cluster.get(FluxKind.KUSTOMIZATION, ns, "apps").getMetadata().getAnnotations();
        assertThat(annotations == null ? Map.of() : annotations).doesNotContainKey("currents.io/prune-approved-revision");
    }
}
