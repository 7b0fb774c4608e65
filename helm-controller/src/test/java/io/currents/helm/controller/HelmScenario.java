package io.currents.helm.controller;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import com.marcnuri.helm.ReleaseHistory;
import io.currents.api.helm.v2.HelmRelease;
import io.currents.api.source.v1.HelmChart;
import io.currents.testkit.ControlPlane;
import io.currents.testkit.artifact.ArtifactServer;
import io.currents.testkit.artifact.PublishedArtifact;
import io.currents.testkit.artifact.Tarball;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * What the HelmRelease behaviour tests do, each in a namespace of its own: build small charts, publish them as
 * a HelmChart's artifact the way source-controller would, apply HelmReleases, wait for conditions, and look at
 * the releases through Helm itself.
 */
final class HelmScenario {

    static final ArtifactServer ARTIFACTS = ArtifactServer.start();

    final KubernetesClient client = ControlPlane.shared().client();
    final String namespace;

    HelmScenario(String prefix) {
        this.namespace = ControlPlane.shared().createNamespace(prefix);
    }

    // --- charts ---

    /** A chart that renders one ConfigMap {@code <release>-config} with {@code data.greeting} from the values. */
    static Map<String, String> configMapChart(String name, String version) {
        Map<String, String> files = chartFiles(name, version, "greeting: hello\n");
        files.put(name + "/templates/configmap.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: {{ .Release.Name }}-config
                data:
                  greeting: {{ .Values.greeting | quote }}
                  chartVersion: {{ .Chart.Version | quote }}
                """);
        return files;
    }

    static Map<String, String> chartFiles(String name, String version, String values) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(name + "/Chart.yaml", """
                apiVersion: v2
                name: %s
                version: %s
                appVersion: "1.0"
                """.formatted(name, version));
        files.put(name + "/values.yaml", values);
        return files;
    }

    /** Adds a template to a chart. */
    static Map<String, String> withTemplate(Map<String, String> chart, String file, String content) {
        String name = chart.keySet().iterator().next().split("/")[0];
        chart.put(name + "/templates/" + file, content);
        return chart;
    }

    /** Packages the chart and makes it the artifact of the HelmChart, creating the HelmChart when it does not exist. */
    PublishedArtifact publishChart(String helmChart, Map<String, String> chart) {
        String chartName = chart.keySet().iterator().next().split("/")[0];
        String version = chart.get(chartName + "/Chart.yaml").lines().filter(l -> l.startsWith("version:")).findFirst()
                .orElseThrow().substring("version:".length()).trim();
        PublishedArtifact artifact = ARTIFACTS.publishBytes("helmchart/" + namespace + "/" + helmChart + "/" + chartName + "-" + version + "-" + System.nanoTime() + ".tgz",
                version, Tarball.of(chart));
        setArtifact(helmChart, chartName, artifact);
        return artifact;
    }

    /** Sets the HelmChart's status as source-controller would after storing {@code artifact}. */
    void setArtifact(String helmChart, String chartName, PublishedArtifact artifact) {
        var charts = client.resources(HelmChart.class).inNamespace(namespace);
        HelmChart hc = charts.withName(helmChart).get();
        if (hc == null) {
            hc = client.getKubernetesSerialization().unmarshal("""
                    apiVersion: source.toolkit.fluxcd.io/v1
                    kind: HelmChart
                    metadata:
                      name: %s
                      namespace: %s
                    spec:
                      chart: %s
                      interval: 1h
                      sourceRef:
                        kind: HelmRepository
                        name: charts
                    """.formatted(helmChart, namespace, chartName), HelmChart.class);
            hc = charts.resource(hc).create();
        }
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        Map<String, Object> ready = new LinkedHashMap<>();
        ready.put("type", "Ready");
        ready.put("status", "True");
        ready.put("reason", "ChartPullSucceeded");
        ready.put("message", "pulled '" + chartName + "' chart with version '" + artifact.revision() + "'");
        ready.put("lastTransitionTime", now);
        ready.put("observedGeneration", hc.getMetadata().getGeneration());
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("observedGeneration", hc.getMetadata().getGeneration());
        status.put("observedChartName", chartName);
        status.put("conditions", List.of(ready));
        status.put("artifact", artifact.toStatus());
        var generic = client.genericKubernetesResources("source.toolkit.fluxcd.io/v1", "HelmChart").inNamespace(namespace).withName(helmChart).get();
        generic.setAdditionalProperty("status", status);
        client.genericKubernetesResources("source.toolkit.fluxcd.io/v1", "HelmChart").inNamespace(namespace).resource(generic).updateStatus();
    }

    /** Waits for the controller to create the HelmChart of HelmRelease {@code name}, then publishes the chart to it. */
    PublishedArtifact publishForRelease(String name, Map<String, String> chart) {
        String helmChart = namespace + "-" + name;
        try {
            client.resources(HelmChart.class).inNamespace(namespace).withName(helmChart)
                    .waitUntilCondition(java.util.Objects::nonNull, 60, TimeUnit.SECONDS);
        } catch (KubernetesClientTimeoutException e) {
            throw new AssertionError("the controller did not create HelmChart " + namespace + "/" + helmChart, e);
        }
        return publishChart(helmChart, chart);
    }

    // --- releases ---

    HelmRelease apply(String yaml) {
        HelmRelease hr = client.getKubernetesSerialization().unmarshal(yaml, HelmRelease.class);
        hr.getMetadata().setNamespace(namespace);
        return client.resource(hr).create();
    }

    HelmRelease get(String name) {
        return client.resources(HelmRelease.class).inNamespace(namespace).withName(name).get();
    }

    /**
     * Edits the HelmRelease as a user would with {@code kubectl edit}: read, change, write; when the controller wrote
     * in between (409 Conflict), read again and redo the change, as kubectl asks the user to.
     */
    HelmRelease edit(String name, java.util.function.UnaryOperator<HelmRelease> change) {
        for (int attempt = 1; ; attempt++) {
            try {
                return client.resources(HelmRelease.class).inNamespace(namespace).withName(name).edit(change);
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    HelmRelease await(String name, Predicate<HelmRelease> condition) {
        return await(name, condition, 120);
    }

    HelmRelease await(String name, Predicate<HelmRelease> condition, int seconds) {
        try {
            return client.resources(HelmRelease.class).inNamespace(namespace).withName(name)
                    .waitUntilCondition(hr -> hr != null && condition.test(hr), seconds, TimeUnit.SECONDS);
        } catch (KubernetesClientTimeoutException e) {
            HelmRelease last = get(name);
            throw new AssertionError("HelmRelease " + namespace + "/" + name + " did not reach the expected state; last seen:\n"
                    + (last == null ? "(gone)" : client.getKubernetesSerialization().asYaml(last)), e);
        }
    }

    /** Waits until Ready=True with {@code reason} for the current generation. */
    HelmRelease awaitReady(String name, String reason) {
        return await(name, hr -> "True".equals(status(hr, "Ready")) && reason.equals(reason(hr, "Ready"))
                && hr.getMetadata().getGeneration().equals(hr.getStatus().getObservedGeneration()));
    }

    HelmRelease awaitCondition(String name, String type, String status, String reason) {
        return await(name, hr -> status.equals(status(hr, type)) && reason.equals(reason(hr, type)));
    }

    /** Annotates the HelmRelease with a reconcile request and waits until the controller has handled it. */
    HelmRelease reconcileNow(String name) {
        return reconcileNow(name, Map.of());
    }

    /** The same with more annotations of the same token (Flux's forceAt/resetAt go with requestedAt). */
    HelmRelease reconcileNow(String name, Map<String, Boolean> alsoAnnotate) {
        String token = Instant.now().toString() + System.nanoTime();
        edit(name, hr -> {
            if (hr.getMetadata().getAnnotations() == null) {
                hr.getMetadata().setAnnotations(new LinkedHashMap<>());
            }
            hr.getMetadata().getAnnotations().put("reconcile.fluxcd.io/requestedAt", token);
            alsoAnnotate.keySet().forEach(a -> hr.getMetadata().getAnnotations().put(a, token));
            return hr;
        });
        return await(name, hr -> hr.getStatus() != null && token.equals(hr.getStatus().getLastHandledReconcileAt()));
    }

    static String status(HelmRelease hr, String type) {
        return condition(hr, type).map(Condition::getStatus).orElse("");
    }

    static String reason(HelmRelease hr, String type) {
        return condition(hr, type).map(Condition::getReason).orElse("");
    }

    static String message(HelmRelease hr, String type) {
        return condition(hr, type).map(Condition::getMessage).orElse("");
    }

    static Optional<Condition> condition(HelmRelease hr, String type) {
        if (hr.getStatus() == null || hr.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return hr.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    // --- the cluster, through kubectl's eyes and Helm's ---

    ConfigMap configMap(String name) {
        return client.configMaps().inNamespace(namespace).withName(name).get();
    }

    Secret releaseSecret(String release, int version) {
        return client.secrets().inNamespace(namespace).withName("sh.helm.release.v1." + release + ".v" + version).get();
    }

    static Path kubeconfig() {
        return ControlPlane.shared().kubeconfigPath();
    }

    /** {@code helm list -n <namespace>} (all states with {@code all}). */
    List<Release> helmList(boolean all) {
        var list = Helm.list().withNamespace(namespace).withKubeConfig(kubeconfig());
        if (all) {
            list.all();
        }
        return list.call();
    }

    /** {@code helm history <release> -n <namespace>}, oldest first. */
    List<ReleaseHistory> helmHistory(String release) {
        return new ArrayList<>(Helm.history(release).withNamespace(namespace).withKubeConfig(kubeconfig()).call());
    }

    List<Event> events(String name) {
        return client.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName()) && "HelmRelease".equals(e.getInvolvedObject().getKind()))
                .toList();
    }

    /** A HelmRelease of chart {@code chart} from a HelmRepository, with {@code extraSpec} appended to its spec. */
    static String helmRelease(String name, String chart, String extraSpec) {
        return bare(name, """
                chart:
                  spec:
                    chart: %s
                    sourceRef:
                      kind: HelmRepository
                      name: charts
                """.formatted(chart) + (extraSpec == null ? "" : extraSpec));
    }

    /** A HelmRelease with only interval and timeout set, then {@code spec}. */
    static String bare(String name, String spec) {
        return """
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata:
                  name: %s
                spec:
                  interval: 1h
                  timeout: 60s
                %s""".formatted(name, spec.indent(2));
    }
}
