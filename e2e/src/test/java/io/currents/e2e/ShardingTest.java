package io.currents.e2e;

import io.currents.cli.dev.ControllerProcess;
import io.currents.cli.dev.ControllerProcess.Controller;
import io.fabric8.kubernetes.api.model.Event;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.currents.e2e.Eventually.await;
import static io.currents.e2e.FluxObjects.ready;
import static io.currents.e2e.FluxObjects.string;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flux's horizontal sharding with two kustomize-controller processes, as {@code currents install --shards 2} deploys
 * them: each watches {@code sharding.fluxcd.io/key in (shard<i>)} and 200 Kustomizations, half labelled for each,
 * are all applied, every one by its own shard only (the events' reporting instance is the shard's host name). The
 * suite's unsharded kustomize-controller is stopped meanwhile and started again afterwards.
 */
@Tag("faults")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Order(6)
class ShardingTest extends FaultScenario {

    static final int KUSTOMIZATIONS = 200;
    final List<ControllerProcess> shards = new ArrayList<>();

    @Override
    String scenario() {
        return "shards";
    }

    @AfterAll
    void close() {
        ControllerProcess.stopAll(shards, Duration.ofSeconds(5));
        cluster.restart(Controller.KUSTOMIZE);
    }

    @Test
    void twoShardsSplitTwoHundredKustomizationsWithNoOverlap() {
        cluster.kill(Controller.KUSTOMIZE);
        for (String shard : List.of("shard1", "shard2")) {
            ControllerProcess process = cluster.replica(Controller.KUSTOMIZE, "kustomize-" + shard, Map.of(
                    "HOSTNAME", shard, "WATCH_LABEL_SELECTOR", "sharding.fluxcd.io/key in (" + shard + ")"));
            shards.add(process);
        }
        shards.forEach(p -> p.awaitReady(Duration.ofMinutes(3)));

        var commit = repo.change("main");
        for (int i = 0; i < KUSTOMIZATIONS; i++) {
            int index = i;
            commit.file("k" + i + "/config.yaml", configMaps(n -> "cm-" + index, 1, "v"));
        }
        String revision = "main@sha1:" + commit.commit("200 directories");
        kube.resource("""
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: GitRepository
                metadata:
                  name: app
                  namespace: %s
                spec:
                  interval: 10m
                  url: %s
                  ref:
                    branch: main
                """.formatted(ns, cluster.url(repo))).serverSideApply();
        Map<String, String> shardOf = new HashMap<>();
        for (int i = 0; i < KUSTOMIZATIONS; i++) {
            String shard = "shard" + (1 + i % 2);
            shardOf.put("k" + i, shard);
            kube.resource("""
                    apiVersion: kustomize.toolkit.fluxcd.io/v1
                    kind: Kustomization
                    metadata:
                      name: k%1$d
                      namespace: %2$s
                      labels:
                        sharding.fluxcd.io/key: %3$s
                    spec:
                      interval: 10m
                      sourceRef:
                        kind: GitRepository
                        name: app
                      path: ./k%1$d
                      prune: true
                    """.formatted(i, ns, shard)).serverSideApply();
        }

        await("the 200 Kustomizations are applied", Duration.ofMinutes(5), () -> appliedCount(revision) == KUSTOMIZATIONS,
                () -> appliedCount(revision) + " of " + KUSTOMIZATIONS + " applied");
        assertThat(values("cm-")).hasSize(KUSTOMIZATIONS);

        // every Kustomization's events come from its own shard, and each shard reconciled its half
        Map<String, Set<String>> reporters = new HashMap<>();
        for (Event e : kube.v1().events().inNamespace(ns).list().getItems()) {
            if ("Kustomization".equals(e.getInvolvedObject().getKind())) {
                reporters.computeIfAbsent(e.getInvolvedObject().getName(), k -> new HashSet<>()).add(e.getReportingInstance());
            }
        }
        assertThat(reporters).hasSize(KUSTOMIZATIONS);
        reporters.forEach((name, instances) -> assertThat(instances).as(name).containsExactly(shardOf.get(name)));
        assertThat(reporters.values().stream().flatMap(Set::stream).collect(Collectors.groupingBy(s -> s, Collectors.counting())))
                .containsOnly(Map.entry("shard1", (long) KUSTOMIZATIONS / 2), Map.entry("shard2", (long) KUSTOMIZATIONS / 2));
    }

    private long appliedCount(String revision) {
        return kube.genericKubernetesResources("kustomize.toolkit.fluxcd.io/v1", "Kustomization").inNamespace(ns).list().getItems()
                .stream().filter(k -> revision.equals(string(k, "status", "lastAppliedRevision")) && ready(k)).count();
    }
}
