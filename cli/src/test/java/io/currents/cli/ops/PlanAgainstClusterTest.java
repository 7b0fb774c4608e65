package io.currents.cli.ops;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code plan --against-cluster}: the head of a real Git repository against the real API server — a changed object,
 * a new one, one that exists unlabelled (adopted) and one in the live inventory that Git no longer has (pruned).
 */
@Tag("cluster")
class PlanAgainstClusterTest {

    @TempDir
    Path repo;

    @Test
    void theHeadIsComparedWithLiveObjectsAndTheLiveInventory() throws Exception {
        String ns = Cluster.namespace("plan-live");
        Map<String, String> owned = Map.of("kustomize.toolkit.fluxcd.io/name", "apps", "kustomize.toolkit.fluxcd.io/namespace", ns);
        var client = Cluster.client();
        client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("a").withLabels(owned).endMetadata()
                .addToData("v", "1").build()).create();
        client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("old").withLabels(owned).endMetadata()
                .addToData("v", "1").build()).create();
        client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("c").endMetadata()
                .addToData("v", "1").build()).create();
        Cluster.gitRepository(ns, "flux-system");
        String apps = """
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata: {name: apps, namespace: %s}
                spec: {interval: 10m, path: ./apps, prune: true, targetNamespace: %s, sourceRef: {kind: GitRepository, name: flux-system}}
                """.formatted(ns, ns);
        Cluster.create(ns, apps);
        Cluster.status(FluxKind.KUSTOMIZATION, ns, "apps", s -> s.put("inventory", Map.of("entries", List.of(
                Map.of("id", ns + "_a__ConfigMap", "v", "v1"), Map.of("id", ns + "_old__ConfigMap", "v", "v1")))));
        Files.createDirectories(repo.resolve("clusters/prod"));
        Files.createDirectories(repo.resolve("apps"));
        Files.writeString(repo.resolve("clusters/prod/apps.yaml"), apps);
        for (String[] cm : new String[][] {{"a", "2"}, {"b", "1"}, {"c", "1"}}) {
            Files.writeString(repo.resolve("apps/" + cm[0] + ".yaml"),
                    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + cm[0] + "\ndata:\n  v: \"" + cm[1] + "\"\n");
        }
        try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            git.commit().setMessage("head").setAuthor("t", "t@example.com").setCommitter("t", "t@example.com").call();
        }

        Cli.Run run = Cluster.run(ns, "plan", "--repo", repo.toString(), "--path", "clusters/prod", "--against-cluster");

        assertThat(run.code()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.out())
                .contains("Plan of clusters/prod: cluster → HEAD@sha1:")
                .contains("!!! 1 OBJECT WILL BE DELETED (pruned) !!!\n  - ConfigMap " + ns + "/old  (Kustomization " + ns + "/apps)")
                .contains("~ update ConfigMap " + ns + "/a")
                .contains("-  v: \"1\"\n      +  v: \"2\"")
                .contains("+ create ConfigMap " + ns + "/b")
                .contains("adopted: the live object is not labelled as applied by Kustomization " + ns + "/apps");
        assertThat(client.configMaps().inNamespace(ns).withName("old").get()).as("plan changes nothing").isNotNull();
        assertThat(client.configMaps().inNamespace(ns).withName("b").get()).isNull();
    }
}
