package io.currents.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.currents.cli.dev.ControllerProcess.Controller;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

import static io.currents.e2e.Eventually.await;
import static io.currents.e2e.FluxObjects.condition;
import static io.currents.e2e.FluxObjects.describe;
import static io.currents.e2e.FluxObjects.ready;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Helm never stuck": helm-controller SIGKILLed at a random point (seeded) of each of N rounds of HelmRelease changes and
 * started again each time. A round installs a new release, upgrades one, or upgrades one to values whose test hook fails
 * (a Job no Pod ever completes here), so that the test fails and remediation rolls the release back: the kill lands
 * while an install, an upgrade, a test or a rollback is in flight, or before or after them. After each restart the
 * release settles within {@link #SETTLE} and no Helm release record of the namespace is left {@code pending-*}; at the
 * end every HelmRelease is Ready at the last values requested for it.
 *
 * <p>N is the system property {@code faults.helmRounds}: the fault profile ({@code -Pfaults}) runs the 200,
 * the build's CI subset a few. The seed is {@code faults.seed}, else the clock's, and is printed: a failing run is
 * replayed with {@code -Dfaults.seed=<seed> -De2e.helmRounds=<N>} (Maven passes {@code e2e.helmRounds} on as {@code faults.helmRounds}).
 */
@Tag("faults")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Order(2)
class HelmKillRoundsTest extends FaultScenario {

    static final int ROUNDS = Integer.getInteger("faults.helmRounds", 3);
    static final Duration INTERVAL = Duration.ofSeconds(10);
    /** The longest a random kill waits after the request: a failing round tests for 5s, then rolls back. */
    static final int KILL_WINDOW_MS = 9_000;
    /** How long a round may take to settle after the restart: one interval, plus the failing round's test timeout, the rollback and this machine. */
    static final Duration SETTLE = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    String scenario() {
        return "helm-rounds";
    }

    /** What one release was last asked for. */
    private record Request(int round, boolean failTest, int lastGood) {
    }

    @Test
    @Tag("ci")
    void helmControllerKilledAtRandomPointsLeavesNoReleasePendingAndEveryReleaseReadyAtItsLastValues() throws Exception {
        long seed = Long.getLong("faults.seed", System.nanoTime());
        System.out.printf("[faults] Helm never stuck: %d rounds, seed %d (replay with -Dfaults.seed=%d -De2e.helmRounds=%d)%n",
                ROUNDS, seed, seed, ROUNDS);
        Random random = new Random(seed);
        repo.change("main")
                .file("charts/rounds/Chart.yaml", "apiVersion: v2\nname: rounds\nversion: 0.1.0\n")
                .file("charts/rounds/values.yaml", "round: 0\nfailTest: false\n")
                .file("charts/rounds/templates/configmaps.yaml", """
                        {{- range $i := until 20 }}
                        ---
                        apiVersion: v1
                        kind: ConfigMap
                        metadata:
                          name: {{ $.Release.Name }}-{{ $i }}
                        data:
                          value: {{ $.Values.round | quote }}
                        {{- end }}
                        """)
                .file("charts/rounds/templates/tests/test.yaml", """
                        {{- if .Values.failTest }}
                        apiVersion: batch/v1
                        kind: Job
                        metadata:
                          name: {{ .Release.Name }}-test-job
                          annotations:
                            helm.sh/hook: test
                            helm.sh/hook-delete-policy: before-hook-creation
                        spec:
                          backoffLimit: 0
                          template:
                            spec:
                              restartPolicy: Never
                              automountServiceAccountToken: false
                              containers:
                                - name: check
                                  image: example.invalid/check:never
                                  command: ["false"]
                        {{- else }}
                        apiVersion: v1
                        kind: ConfigMap
                        metadata:
                          name: {{ .Release.Name }}-test
                          annotations:
                            helm.sh/hook: test
                            helm.sh/hook-delete-policy: before-hook-creation
                        data:
                          round: {{ .Values.round | quote }}
                        {{- end }}
                        """)
                .commit("a chart whose values switch a failing test hook");
        kube.resource("""
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: GitRepository
                metadata:
                  name: charts
                  namespace: %s
                spec:
                  interval: 10m
                  url: %s
                  ref:
                    branch: main
                """.formatted(ns, cluster.url(repo))).serverSideApply();

        Map<String, Request> releases = new TreeMap<>();
        Map<String, Integer> points = new TreeMap<>();
        List<Long> recoveries = new ArrayList<>();
        int pendingAtKill = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            String name;
            boolean failTest;
            String kind;
            if (releases.isEmpty() || (releases.size() < 8 && random.nextInt(10) == 0)) {
                name = "r" + releases.size();
                failTest = false;
                kind = "install";
            } else {
                List<String> names = new ArrayList<>(releases.keySet());
                name = names.get(random.nextInt(names.size()));
                failTest = random.nextInt(4) == 0;
                kind = failTest ? "upgrade, failing test" : "upgrade";
            }
            Request before = releases.get(name);
            Request request = new Request(round, failTest, failTest ? before.lastGood() : round);
            int versionBefore = latestVersion(name);
            int delay = random.nextInt(KILL_WINDOW_MS);
            kube.resource(helmRelease(name, round, failTest)).forceConflicts().serverSideApply();
            releases.put(name, request);
            Eventually.sleep(Duration.ofMillis(delay));
            String point = killPoint(name, versionBefore, round);
            cluster.kill(Controller.HELM);
            if (pending(name).size() > 0) {
                pendingAtKill++;
            }
            points.merge(point, 1, Integer::sum);
            long restart = System.nanoTime();
            cluster.restart(Controller.HELM);
            int r = round;
            await("round " + round + " (" + kind + " of " + name + ", killed " + delay + " ms after the request, at: " + point + ") settles",
                    SETTLE, () -> settled(name, request), () -> describe(flux.helmRelease(name)) + ", records " + records(name));
            recoveries.add(Duration.ofNanos(System.nanoTime() - restart).toMillis());
            assertThat(pendingRecords()).as("Helm release records left pending after round " + r).isEmpty();
        }
        // the rounds whose last request had a failing test: one more request, good, without a kill
        for (var entry : releases.entrySet()) {
            if (entry.getValue().failTest()) {
                int round = ROUNDS + 1;
                Request good = new Request(round, false, round);
                kube.resource(helmRelease(entry.getKey(), round, false)).forceConflicts().serverSideApply();
                entry.setValue(good);
                await("HelmRelease " + entry.getKey() + " is upgraded to good values", SETTLE, () -> settled(entry.getKey(), good),
                        () -> describe(flux.helmRelease(entry.getKey())));
            }
        }
        // one more interval with the controller running: nothing goes pending or leaves its values
        Eventually.sleep(INTERVAL);
        List<Long> sorted = recoveries.stream().sorted().toList();
        System.out.printf("[faults] Helm never stuck: %d kills (seed %d), kill points reached %s, kills that left a record pending %d,"
                        + " settled after the restart p50 %d ms / max %d ms, pending records at the end %d, releases %d%n",
                ROUNDS, seed, points, pendingAtKill, sorted.get(sorted.size() / 2), sorted.getLast(), pendingRecords().size(), releases.size());
        assertThat(pendingRecords()).as("Helm release records pending after one more interval").isEmpty();
        releases.forEach((name, request) -> {
            assertThat(settled(name, request)).as("HelmRelease " + name + " Ready at round " + request.round() + ": "
                    + describe(flux.helmRelease(name)) + ", records " + records(name)).isTrue();
        });
    }

    /**
     * Whether the release has reached what this request leads to: Ready at its values (every ConfigMap holds its
     * round), or, for a request whose test fails, rolled back to the last good values and Ready=False; either way at the
     * HelmRelease's generation with the latest record deployed and none pending.
     */
    private boolean settled(String name, Request request) {
        GenericKubernetesResource hr = flux.helmRelease(name);
        Map<?, ?> status = hr.get("status");
        if (status == null || !hr.getMetadata().getGeneration().equals(toLong(status.get("observedGeneration")))) {
            return false;
        }
        Map<Integer, Record> records = records(name);
        if (records.isEmpty() || records.values().stream().anyMatch(Record::pending)) {
            return false;
        }
        Record latest = records.get(records.keySet().stream().max(Comparator.naturalOrder()).orElseThrow());
        if (!"deployed".equals(latest.status()) || latest.round() != request.lastGood()) {
            return false;
        }
        for (int i = 0; i < 20; i++) {
            if (!String.valueOf(request.lastGood()).equals(value(name + "-" + i))) {
                return false;
            }
        }
        if (request.failTest()) {
            Map<?, ?> remediated = condition(hr, "Remediated");
            return !ready(hr) && remediated != null && "True".equals(remediated.get("status"));
        }
        return ready(hr);
    }

    private static Long toLong(Object o) {
        return o instanceof Number n ? n.longValue() : null;
    }

    /** Where the round was when helm-controller was killed, read from Helm's records of the release. */
    private String killPoint(String name, int versionBefore, int round) {
        Map<Integer, Record> records = records(name);
        if (records.isEmpty()) {
            return "before the install";
        }
        int version = records.keySet().stream().max(Comparator.naturalOrder()).orElseThrow();
        Record latest = records.get(version);
        if (latest.status().equals("pending-install")) {
            return "install";
        }
        if (latest.status().equals("pending-rollback") || (latest.pending() && latest.description().startsWith("Rollback"))) {
            return "rollback";
        }
        if (latest.pending()) {
            return "upgrade";
        }
        if (version == versionBefore) {
            return "before the action";
        }
        if (latest.description().startsWith("Rollback")) {
            return "after the rollback";
        }
        if (latest.round() == round && "deployed".equals(latest.status())) {
            return switch (latest.test()) {
                case "running" -> "test";
                case "done" -> "after the test";
                default -> "released, test not started";
            };
        }
        return latest.status();
    }

    private int latestVersion(String name) {
        return records(name).keySet().stream().max(Comparator.naturalOrder()).orElse(0);
    }

    /** One Helm release record, decoded from its Secret; {@code test}: its test hooks not started, running or done. */
    private record Record(String status, String description, int round, String test) {
        boolean pending() {
            return status.startsWith("pending");
        }
    }

    /** Helm's records of a release, by version. */
    private Map<Integer, Record> records(String name) {
        Map<Integer, Record> records = new TreeMap<>();
        for (Secret s : kube.secrets().inNamespace(ns).withLabel("owner", "helm").withLabel("name", name).list().getItems()) {
            JsonNode release = decode(s);
            JsonNode hooks = release.path("hooks");
            String test = "not started";
            for (JsonNode hook : hooks) {
                String phase = hook.path("last_run").path("phase").asText("");
                if (hook.path("events").toString().contains("test") && !phase.isEmpty()) {
                    test = phase.equals("Succeeded") || phase.equals("Failed") ? "done" : "running";
                }
            }
            records.put(Integer.parseInt(s.getMetadata().getLabels().get("version")), new Record(s.getMetadata().getLabels().get("status"),
                    release.path("info").path("description").asText(""), release.path("config").path("round").asInt(-1), test));
        }
        return records;
    }

    private List<String> pending(String name) {
        List<String> pending = new ArrayList<>();
        records(name).forEach((v, r) -> {
            if (r.pending()) {
                pending.add(name + ".v" + v + " " + r.status());
            }
        });
        return pending;
    }

    /** Every record of the namespace whose status label is {@code pending-*}, as name.vN status. */
    private List<String> pendingRecords() {
        return kube.secrets().inNamespace(ns).withLabel("owner", "helm").list().getItems().stream()
                .filter(s -> s.getMetadata().getLabels().getOrDefault("status", "").startsWith("pending"))
                .map(s -> s.getMetadata().getLabels().get("name") + ".v" + s.getMetadata().getLabels().get("version") + " "
                        + s.getMetadata().getLabels().get("status"))
                .toList();
    }

    /** A Helm release Secret's {@code release}: base64 of gzipped JSON, inside the Secret's own base64. */
    private static JsonNode decode(Secret secret) {
        byte[] inner = Base64.getDecoder().decode(Base64.getDecoder().decode(secret.getData().get("release")));
        try (var in = new GZIPInputStream(new ByteArrayInputStream(inner))) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String helmRelease(String name, int round, boolean failTest) {
        return """
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata:
                  name: %s
                  namespace: %s
                spec:
                  interval: %ds
                  timeout: 30s
                  chart:
                    spec:
                      chart: ./charts/rounds
                      sourceRef:
                        kind: GitRepository
                        name: charts
                  test:
                    enable: true
                    timeout: 5s
                  upgrade:
                    remediation:
                      retries: 0
                      remediateLastFailure: true
                      strategy: rollback
                  values:
                    round: %d
                    failTest: %s
                """.formatted(name, ns, INTERVAL.toSeconds(), round, failTest);
    }
}
