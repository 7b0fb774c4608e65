package io.currents.cli.ops;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code logs} (flux's filter and layout over both JSON log layouts) and {@code stats} on the control plane. */
class LogsAndStatsTest {

    /** Lines as the Currents controllers (Quarkus, LOG_JSON=true) and flux's controllers write them. */
    private static final List<String> LINES = List.of(
            "{\"timestamp\":\"2026-12-05T06:19:25.1Z\",\"sequence\":7,\"loggerName\":\"io.currents.kustomization.Reconciler\","
                    + "\"level\":\"INFO\",\"message\":\"server-side apply completed\",\"threadName\":\"r-1\",\"mdc\":{\"resource.kind\":"
                    + "\"Kustomization\",\"resource.name\":\"apps\",\"resource.namespace\":\"flux-system\"}}",
            "{\"timestamp\":\"2026-12-05T06:19:26.2Z\",\"level\":\"ERROR\",\"message\":\"Reconciliation failed\","
                    + "\"exception\":{\"exceptionType\":\"X\",\"message\":\"kustomization path not found\"},\"mdc\":{\"resource.kind\":"
                    + "\"Kustomization\",\"resource.name\":\"infra\",\"resource.namespace\":\"flux-system\"}}",
            "{\"ts\":\"2026-12-05T06:19:27.000Z\",\"level\":\"info\",\"msg\":\"stored artifact\",\"controllerKind\":\"GitRepository\","
                    + "\"name\":\"fleet\",\"namespace\":\"flux-system\"}",
            "{\"ts\":\"2026-12-05T06:19:28.000Z\",\"level\":\"debug\",\"msg\":\"watching\",\"reconciler kind\":\"HelmRelease\","
                    + "\"name\":\"web\",\"namespace\":\"apps\"}",
            "2026-12-05 06:19:29,000 INFO  [io.quarkus] (main) plain text start-up line",
            "{\"level\":\"INFO\",\"message\":\"started\"}");

    private static String filtered(String level, String kind, String name, String namespace) {
        StringBuilder out = new StringBuilder();
        for (String line : LINES) {
            ControllerLogLine.parse(line).filter(l -> l.matches(level, kind, name, namespace)).ifPresent(l -> out.append(l.format()).append('\n'));
        }
        return out.toString();
    }

    @Test
    void linesAreFilteredAndPrintedAsFluxDoes() {
        Cli.assertGolden("logs/filtered.txt", "--- -n flux-system\n" + filtered(null, null, null, "flux-system")
                + "--- -A --level error\n" + filtered("error", null, null, null)
                + "--- --kind kustomization --name apps\n" + filtered(null, "kustomization", "apps", "flux-system")
                + "--- -A\n" + filtered(null, null, null, null));
    }

    @Tag("cluster")
    @Test
    void logsNeedTheControllerPodsAndReportUnreadableOnes() {
        String ns = Cluster.namespace("logs");
        Cli.Run none = Cluster.run(ns, "logs", "--flux-namespace", ns);
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.err()).isEqualTo("✗ no Currents pods found in namespace \"" + ns + "\"; pass --flux-namespace if the "
                + "controllers run elsewhere\n");
        Map<String, String> app = Map.of("app", "kustomize-controller");
        Cluster.client().apps().deployments().inNamespace(ns).resource(new DeploymentBuilder().withNewMetadata()
                .withName("kustomize-controller").addToLabels("app.kubernetes.io/part-of", "currents").endMetadata()
                .withNewSpec().withNewSelector().withMatchLabels(app).endSelector().withNewTemplate().withNewMetadata()
                .withLabels(app).endMetadata().withNewSpec().addNewContainer().withName("manager").withImage("x").endContainer()
                .endSpec().endTemplate().endSpec().build()).create();
        // the control plane has no kubelet: the Pod is bound to a node that does not exist, so its log cannot be read
        Cluster.client().pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName("kustomize-controller-1")
                .withLabels(app).endMetadata().withNewSpec().withNodeName("no-such-node").addNewContainer().withName("manager").withImage("x").endContainer()
                .endSpec().build()).create();
        Cli.Run unreadable = Cluster.run(ns, "logs", "--flux-namespace", ns, "--since", "2m");
        assertThat(unreadable.code()).as(unreadable.toString()).isEqualTo(1);
        assertThat(unreadable.err()).startsWith("✗ failed getting logs of pod kustomize-controller-1: ")
                .endsWith("✗ failed to collect logs from all Currents pods\n");
        Cli.Run badLevel = Cluster.run(ns, "logs", "--level", "loud");
        assertThat(badLevel.code()).isEqualTo(2);
        Cli.Run both = Cluster.run(ns, "logs", "--since", "1m", "--since-time", "2026-01-01T00:00:00Z");
        assertThat(both.err()).isEqualTo("✗ at most one of --since and --since-time may be given\n");
    }

    @Tag("cluster")
    @Test
    void statsCountsRunningFailingSuspendedAndStorage() {
        String ns = Cluster.namespace("stats");
        Cluster.gitRepository(ns, "fleet");
        Cluster.gitRepository(ns, "other");
        Cluster.status(FluxKind.GIT_REPOSITORY, ns, "fleet", s -> s.put("artifact", Map.of("revision", "main@sha1:abc",
                "digest", "sha256:00", "path", "p", "url", "http://x/p", "lastUpdateTime", "2026-11-23T10:00:00Z", "size", 1536)));
        Cluster.status(FluxKind.GIT_REPOSITORY, ns, "other", s -> s.put("artifact", Map.of("revision", "main@sha1:abc",
                "digest", "sha256:00", "path", "p", "url", "http://x/p", "lastUpdateTime", "2026-11-23T10:00:00Z", "size", 3L << 20)));
        Cluster.kustomization(ns, "apps", "./apps");
        Cluster.kustomization(ns, "infra", "./infra");
        Cluster.status(FluxKind.KUSTOMIZATION, ns, "infra", s -> s.put("conditions",
                List.of(Cluster.ready("False", "BuildFailed", "kustomization path not found", "2026-11-23T10:00:00Z"))));
        Cluster.run(ns, "suspend", "ks", "apps");
        Cli.Run r = Cluster.run(ns, "stats");
        assertThat(r.code()).as(r.toString()).isZero();
        Cli.assertGolden("tables/stats.txt", r.out());
        assertThat(StatsCommand.size(512)).isEqualTo("512 B");
        assertThat(StatsCommand.size(5L << 30)).isEqualTo("5.0 GiB");
    }
}
