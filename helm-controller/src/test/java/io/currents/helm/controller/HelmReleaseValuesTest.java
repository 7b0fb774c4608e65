package io.currents.helm.controller;

import io.currents.api.helm.v2.HelmRelease;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Values from ConfigMaps and Secrets (whole documents or at a targetPath), under spec.values; a change upgrades. */
@QuarkusTest
@QuarkusTestResource(value = HelmControllerTestResource.class, restrictToAnnotatedClass = false)
class HelmReleaseValuesTest {

    @Test
    void valuesFromAConfigMapChangeUpgradesToRevisionTwo() {
        var s = new HelmScenario("hr-values");
        s.client.configMaps().inNamespace(s.namespace).resource(new ConfigMapBuilder().withNewMetadata().withName("app-values").endMetadata()
                .addToData("values.yaml", "greeting: from-configmap\nextra: {a: 1}\n").build()).create();
        s.client.secrets().inNamespace(s.namespace).resource(new SecretBuilder().withNewMetadata().withName("app-secret").endMetadata()
                .addToStringData("password", "s3cret").build()).create();
        var chart = HelmScenario.configMapChart("demo", "1.0.0");
        HelmScenario.withTemplate(chart, "secret.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: {{ .Release.Name }}-more
                data:
                  password: {{ .Values.auth.password | quote }}
                  extra: {{ .Values.extra.a | quote }}
                  inline: {{ .Values.inline | quote }}
                """);
        s.apply(HelmScenario.helmRelease("app", "demo", """
                valuesFrom:
                  - kind: ConfigMap
                    name: app-values
                  - kind: Secret
                    name: app-secret
                    valuesKey: password
                    targetPath: auth.password
                  - kind: ConfigMap
                    name: not-there
                    optional: true
                values:
                  inline: from-spec
                """));
        s.publishForRelease("app", chart);
        HelmRelease installed = s.awaitReady("app", "InstallSucceeded");
        assertThat(s.configMap("app-config").getData()).containsEntry("greeting", "from-configmap");
        assertThat(s.configMap("app-more").getData()).containsEntry("password", "s3cret").containsEntry("extra", "1")
                .containsEntry("inline", "from-spec");
        String firstDigest = installed.getStatus().getLastAttemptedConfigDigest();

        s.client.configMaps().inNamespace(s.namespace).withName("app-values")
                .edit(cm -> new ConfigMapBuilder(cm).addToData("values.yaml", "greeting: changed\nextra: {a: 2}\n").build());
        s.reconcileNow("app");
        HelmRelease upgraded = s.awaitReady("app", "UpgradeSucceeded");
        assertThat(upgraded.getStatus().getHistory().getFirst().getVersion()).isEqualTo(2);
        assertThat(upgraded.getStatus().getLastAttemptedConfigDigest()).isNotEqualTo(firstDigest);
        assertThat(upgraded.getStatus().getHistory().getFirst().getConfigDigest()).isEqualTo(upgraded.getStatus().getLastAttemptedConfigDigest());
        assertThat(s.configMap("app-config").getData()).containsEntry("greeting", "changed");
        assertThat(s.helmHistory("app")).hasSize(2);
    }

    @Test
    void valuesFromASecretAreMaskedInConditionsAndEvents() {
        var s = new HelmScenario("hr-values-redact");
        s.client.secrets().inNamespace(s.namespace).resource(new SecretBuilder().withNewMetadata().withName("db").endMetadata()
                .addToStringData("values.yaml", "database:\n  password: s3cr3t-hunter2\n")
                .addToStringData("token", "tok-9f8e7d6c").build()).create();
        s.apply(HelmScenario.helmRelease("app", "demo", """
                valuesFrom:
                  - kind: Secret
                    name: db
                  - kind: Secret
                    name: db
                    valuesKey: token
                    targetPath: api.token
                """));
        // Helm quotes values in its errors: here a template that fails with them
        s.publishForRelease("app", HelmScenario.withTemplate(HelmScenario.configMapChart("demo", "1.0.0"), "check.yaml",
                "{{ fail (printf \"refusing password %s and token %s\" .Values.database.password .Values.api.token) }}\n"));

        HelmRelease failed = s.awaitCondition("app", "Ready", "False", "InstallFailed");
        assertThat(HelmScenario.message(failed, "Ready")).contains("refusing password *** and token ***")
                .doesNotContain("s3cr3t-hunter2").doesNotContain("tok-9f8e7d6c");
        assertThat(failed.getStatus().getConditions()).allSatisfy(c -> assertThat(c.getMessage())
                .doesNotContain("s3cr3t-hunter2").doesNotContain("tok-9f8e7d6c"));
        assertThat(s.events("app")).isNotEmpty().allSatisfy(e -> assertThat(e.getMessage())
                .doesNotContain("s3cr3t-hunter2").doesNotContain("tok-9f8e7d6c"));
    }

    @Test
    void aMissingValuesReferenceIsAValuesErrorAndTheReleaseIsKept() {
        var s = new HelmScenario("hr-values-missing");
        s.apply(HelmScenario.helmRelease("app", "demo", ""));
        s.publishForRelease("app", HelmScenario.configMapChart("demo", "1.0.0"));
        s.awaitReady("app", "InstallSucceeded");

        s.edit("app", hr -> {
            var ref = new io.currents.api.meta.ValuesReference();
            ref.setKind("ConfigMap");
            ref.setName("absent");
            hr.getSpec().setValuesFrom(java.util.List.of(ref));
            return hr;
        });
        HelmRelease failed = s.awaitCondition("app", "Ready", "False", "ValuesError");
        assertThat(HelmScenario.message(failed, "Ready"))
                .isEqualTo("could not resolve ConfigMap chart values reference '" + s.namespace + "/absent' with key 'values.yaml': not found");
        assertThat(s.helmList(false)).hasSize(1);
        assertThat(s.configMap("app-config")).isNotNull();
        assertThat(s.events("app")).anyMatch(e -> "ValuesError".equals(e.getReason()) && "Warning".equals(e.getType()));
    }
}
