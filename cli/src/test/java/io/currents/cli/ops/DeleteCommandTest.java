package io.currents.cli.ops;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code delete <kind> <name>}: flux's confirmation, then the object is deleted from the API server. */
@Tag("cluster")
class DeleteCommandTest {

    /** Runs with {@code answer} on standard input. */
    private static Cli.Run withInput(String answer, String ns, String... args) {
        InputStream before = System.in;
        System.setIn(new ByteArrayInputStream(answer.getBytes(StandardCharsets.UTF_8)));
        try {
            return Cluster.run(ns, args);
        } finally {
            System.setIn(before);
        }
    }

    private static boolean gone(FluxKind kind, String ns, String name) {
        return Cluster.client().genericKubernetesResources(kind.context()).inNamespace(ns).withName(name)
                .waitUntilCondition(o -> o == null, 10, TimeUnit.SECONDS) == null;
    }

    @Test
    void asksFirstAndDeletesOnYes() {
        String ns = Cluster.namespace("delete");
        Cluster.kustomization(ns, "apps", "./");

        Cli.Run declined = withInput("n\n", ns, "delete", "kustomization", "apps");
        assertThat(declined.code()).as(declined.toString()).isEqualTo(1);
        assertThat(Cluster.get(FluxKind.KUSTOMIZATION, ns, "apps")).isNotNull();

        Cli.Run accepted = withInput("y\n", ns, "delete", "ks", "apps");
        assertThat(accepted.code()).as(accepted.toString()).isZero();
        assertThat(gone(FluxKind.KUSTOMIZATION, ns, "apps")).isTrue();
        Cli.assertGolden("delete/kustomization.txt", "--- declined\n" + declined.err().replace(ns, "<ns>")
                + "--- accepted\n" + accepted.err().replace(ns, "<ns>"));
    }

    @Test
    void silentDeletesEveryKindWithoutAsking() {
        String ns = Cluster.namespace("delete");
        Cluster.gitRepository(ns, "fleet");
        Cluster.create(ns, """
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata: {name: web}
                spec: {interval: 5m, chart: {spec: {chart: web, sourceRef: {kind: HelmRepository, name: charts}}}}
                """);
        Cli.Run source = withInput("", ns, "delete", "source", "git", "fleet", "--silent");
        assertThat(source.code()).as(source.toString()).isZero();
        assertThat(source.err()).isEqualTo("► deleting source git fleet in " + ns + " namespace\n✔ source git deleted\n");
        assertThat(gone(FluxKind.GIT_REPOSITORY, ns, "fleet")).isTrue();
        Cli.Run release = withInput("", ns, "delete", "hr", "web", "-s");
        assertThat(release.code()).as(release.toString()).isZero();
        assertThat(gone(FluxKind.HELM_RELEASE, ns, "web")).isTrue();
    }

    @Test
    void aMissingObjectOrNameFails() {
        String ns = Cluster.namespace("delete");
        Cli.Run missing = Cluster.run(ns, "delete", "ks", "nope", "-s");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("Kustomization '" + ns + "/nope' not found");
        Cli.Run noName = Cluster.run(ns, "delete", "ks", "-s");
        assertThat(noName.code()).isEqualTo(2);
        assertThat(noName.err()).isEqualTo("✗ kustomization name is required\n");
    }

    @Test
    void everyKindFluxDeletesHasACommand() {
        for (String[] path : new String[][] {{"kustomization"}, {"helmrelease"}, {"alert"}, {"alert-provider"}, {"receiver"},
                {"source", "git"}, {"source", "oci"}, {"source", "helm"}, {"source", "bucket"}, {"source", "chart"},
                {"image", "repository"}, {"image", "policy"}, {"image", "update"}}) {
            String[] args = new String[path.length + 2];
            args[0] = "delete";
            System.arraycopy(path, 0, args, 1, path.length);
            args[args.length - 1] = "--help";
            Cli.Run help = Cli.run(args);
            assertThat(help.code()).as(String.join(" ", args)).isZero();
            assertThat(help.out()).contains("--silent");
        }
    }
}
