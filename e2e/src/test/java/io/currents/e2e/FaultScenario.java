package io.currents.e2e;

import io.currents.testkit.git.TestRepo;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.time.Duration;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.currents.e2e.Eventually.await;
import static io.currents.e2e.FluxObjects.describe;
import static io.currents.e2e.FluxObjects.ready;
import static io.currents.e2e.FluxObjects.string;

/**
 * What every fault scenario starts from: the shared {@link FaultCluster}, a namespace and a Git repository of the
 * scenario's name (closed after the class), and the ConfigMaps its Kustomizations apply, each holding a {@code value}.
 * Subclasses run with {@code TestInstance.Lifecycle.PER_CLASS}; their own {@code @BeforeAll} runs after this one's.
 */
abstract class FaultScenario {

    static final Duration CONVERGE = Duration.ofMinutes(3);

    FaultCluster cluster;
    KubernetesClient kube;
    FluxObjects flux;
    TestRepo repo;
    String ns;

    /** The prefix of the scenario's namespace and the name of its repository. */
    abstract String scenario();

    @BeforeAll
    final void openScenario() {
        cluster = FaultCluster.shared();
        kube = cluster.client();
        ns = cluster.namespace(scenario());
        flux = new FluxObjects(kube, ns);
        repo = cluster.repo(scenario());
    }

    @AfterAll
    final void closeScenario() {
        repo.close();
    }

    /** Waits until the Kustomization {@code app} has applied this commit and is Ready. */
    void awaitApplied(String commit) {
        await("the Kustomization applies " + commit, CONVERGE,
                () -> ("main@sha1:" + commit).equals(string(flux.kustomization("app"), "status", "lastAppliedRevision"))
                        && ready(flux.kustomization("app")),
                () -> describe(flux.kustomization("app")) + " / " + describe(flux.gitRepository("app")));
    }

    /** The {@code value} of the ConfigMap {@code config}, null while it does not exist. */
    String value() {
        return value("config");
    }

    /** The {@code value} of a ConfigMap of the namespace, null while it does not exist. */
    String value(String name) {
        ConfigMap cm = kube.configMaps().inNamespace(ns).withName(name).get();
        return cm == null || cm.getData() == null ? null : cm.getData().get("value");
    }

    /** The {@code value} of every ConfigMap whose name starts with {@code prefix}, by name. */
    Map<String, String> values(String prefix) {
        return kube.configMaps().inNamespace(ns).list().getItems().stream()
                .filter(c -> c.getMetadata().getName().startsWith(prefix))
                .collect(Collectors.toMap(c -> c.getMetadata().getName(), c -> c.getData().get("value")));
    }

    /** The ConfigMap {@code config} holding this value, as YAML. */
    String configMap(String value) {
        return configMaps(i -> "config", 1, value);
    }

    /** {@code count} ConfigMaps named by {@code names}, each holding this value, as one YAML stream. */
    String configMaps(IntFunction<String> names, int count, String value) {
        return IntStream.range(0, count).mapToObj(i -> """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: %s
                  namespace: %s
                data:
                  value: %s
                """.formatted(names.apply(i), ns, value)).collect(Collectors.joining("---\n"));
    }
}
