package io.currents.cli.ops;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code debug kustomization|helmrelease}: status, history and the post-build variables read from the cluster. */
@Tag("cluster")
class DebugCommandTest {

    @Test
    void showVarsMergesSubstituteFromAndSubstituteAsTheController() {
        String ns = Cluster.namespace("debug");
        Cluster.client().configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("cluster-vars")
                .endMetadata().addToData(Map.of("CLUSTER", "prod", "REGION", "eu-west-1")).build()).create();
        Cluster.client().secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName("cluster-secrets")
                .endMetadata().addToStringData(Map.of("TOKEN", "s3cr3t", "REGION", "from-secret")).build()).create();
        Cluster.create(ns, """
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata: {name: apps}
                spec:
                  interval: 10m
                  path: ./
                  prune: true
                  sourceRef: {kind: GitRepository, name: fleet}
                  postBuild:
                    substitute: {REGION: us-east-1, MULTI: "a\\nb"}
                    substituteFrom:
                      - {kind: ConfigMap, name: cluster-vars}
                      - {kind: Secret, name: cluster-secrets}
                      - {kind: ConfigMap, name: absent, optional: true}
                """);
        Cli.Run vars = Cluster.run(ns, "debug", "kustomization", "apps", "--show-vars");
        assertThat(vars.code()).as(vars.err()).isZero();
        Cli.assertGolden("debug/vars.env", vars.out());

        Cluster.appliedRevision(ns, "apps", "main@sha1:abc", "2026-11-23T10:00:00Z");
        Cli.Run status = Cluster.run(ns, "debug", "ks", "apps", "--show-status");
        assertThat(status.code()).as(status.err()).isZero();
        Cli.assertGolden("debug/status.yaml", status.out());
        Cli.Run history = Cluster.run(ns, "debug", "ks", "apps", "--show-history");
        assertThat(history.out()).endsWith("#history\n[]\n");

        Cli.Run none = Cluster.run(ns, "debug", "ks", "apps");
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).isEqualTo("✗ exactly one of --show-status, --show-history, or --show-vars must be set\n");
    }

    @Test
    void helmReleaseStatusAndMissingObjects() {
        String ns = Cluster.namespace("debug-hr");
        Cluster.create(ns, """
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata: {name: web}
                spec: {interval: 5m, chart: {spec: {chart: web, sourceRef: {kind: HelmRepository, name: charts}}}}
                """);
        Map<String, Object> snapshot = new java.util.TreeMap<>(Map.of("name", "web", "namespace", ns, "version", 1,
                "chartName", "web", "chartVersion", "1.0.0", "status", "deployed", "configDigest", "sha256:c", "digest", "sha256:d",
                "firstDeployed", "2026-11-23T10:00:00Z"));
        snapshot.put("lastDeployed", "2026-11-23T10:00:00Z");
        Cluster.status(FluxKind.HELM_RELEASE, ns, "web", s -> s.put("history", List.of(snapshot)));
        Cli.Run history = Cluster.run(ns, "debug", "hr", "web", "--show-history");
        assertThat(history.code()).as(history.err()).isZero();
        assertThat(history.out()).isEqualTo("""
                # History documentation: https://fluxcd.io/flux/components/helm/helmreleases/#history
                - chartName: web
                  chartVersion: 1.0.0
                  configDigest: sha256:c
                  digest: sha256:d
                  firstDeployed: "2026-11-23T10:00:00Z"
                  lastDeployed: "2026-11-23T10:00:00Z"
                  name: web
                  namespace: %s
                  status: deployed
                  version: 1
                """.formatted(ns));
        assertThat(Cluster.run(ns, "debug", "ks", "nope", "--show-status").err()).contains("Kustomization '" + ns + "/nope' not found");
        assertThat(Cli.run("debug", "hr", "--help").out()).doesNotContain("--show-vars").contains("--show-values");
        assertThat(Cli.run("debug", "ks", "--help").out()).doesNotContain("--show-values");
    }

    @Test
    void showValuesComposesValuesFromInOrderThenInlineValuesAsHelmController() {
        String ns = Cluster.namespace("debug-values");
        Cluster.client().configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("defaults")
                .endMetadata().addToData(Map.of("values.yaml", "replicas: 1\nimage: {repository: web, tag: \"1.0\"}\nlabels: [a]\n"))
                .build()).create();
        Cluster.client().secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName("db")
                .endMetadata().addToStringData(Map.of("password", "hunter22")).build()).create();
        Cluster.create(ns, """
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata: {name: web}
                spec:
                  interval: 5m
                  chart: {spec: {chart: web, sourceRef: {kind: HelmRepository, name: charts}}}
                  valuesFrom:
                    - {kind: ConfigMap, name: defaults}
                    - {kind: Secret, name: db, valuesKey: password, targetPath: db.password}
                    - {kind: ConfigMap, name: absent, optional: true}
                  values:
                    replicas: 3
                    image: {tag: "2.0"}
                """);

        Cli.Run values = Cluster.run(ns, "debug", "hr", "web", "--show-values");

        assertThat(values.code()).as(values.err()).isZero();
        assertThat(values.out()).isEqualTo("""
                db:
                  password: hunter22
                image:
                  repository: web
                  tag: "2.0"
                labels:
                - a
                replicas: 3
                """);

        Cluster.create(ns, """
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata: {name: broken}
                spec:
                  interval: 5m
                  chart: {spec: {chart: web, sourceRef: {kind: HelmRepository, name: charts}}}
                  valuesFrom: [{kind: ConfigMap, name: missing}]
                """);
        Cli.Run missing = Cluster.run(ns, "debug", "hr", "broken", "--show-values");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("could not resolve ConfigMap chart values reference '" + ns + "/missing' with key 'values.yaml'");
        Cli.Run empty = Cluster.run(ns, "debug", "hr", "broken", "--show-status", "--show-values");
        assertThat(empty.code()).isEqualTo(2);
        assertThat(empty.err()).isEqualTo("✗ exactly one of --show-status, --show-history, or --show-values must be set\n");
    }
}
