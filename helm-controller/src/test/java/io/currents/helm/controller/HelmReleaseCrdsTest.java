package io.currents.helm.controller;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code upgrade.crds}: with CreateReplace a CRD of the chart's crds/ that gained a field is replaced before the upgrade
 * (so the chart's new objects keep the field); with Create only missing CRDs are created; Helm alone never touches them.
 */
@QuarkusTest
@QuarkusTestResource(value = HelmControllerTestResource.class, restrictToAnnotatedClass = false)
class HelmReleaseCrdsTest {

    @Test
    @SuppressWarnings("unchecked")
    void createReplaceReplacesACrdThatGainedAFieldBeforeTheUpgrade() {
        var s = new HelmScenario("hr-crds");
        String group = s.namespace + ".currents.test";
        s.apply(HelmScenario.helmRelease("app", "widgets", """
                upgrade:
                  crds: CreateReplace
                """));
        s.publishForRelease("app", widgetChart("1.0.0", group, false, "size: 1"));
        s.awaitReady("app", "InstallSucceeded");
        assertThat(properties(s, "widgets." + group)).containsOnlyKeys("size");

        s.publishForRelease("app", widgetChart("2.0.0", group, true, "size: 2\n    color: red"));
        s.awaitReady("app", "UpgradeSucceeded");

        assertThat(properties(s, "widgets." + group)).containsOnlyKeys("size", "color");
        GenericKubernetesResource widget = s.client.genericKubernetesResources(group + "/v1", "Widget").inNamespace(s.namespace)
                .withName("app-widget").get();
        assertThat((Map<String, Object>) widget.getAdditionalProperties().get("spec")).containsEntry("color", "red").containsEntry("size", 2);
    }

    @Test
    void createAddsNewCrdsOnUpgradeButLeavesExistingOnesAlone() {
        var s = new HelmScenario("hr-crds-create");
        String group = s.namespace + ".currents.test";
        s.apply(HelmScenario.helmRelease("app", "widgets", """
                upgrade:
                  crds: Create
                """));
        s.publishForRelease("app", widgetChart("1.0.0", group, false, "size: 1"));
        s.awaitReady("app", "InstallSucceeded");

        var v2 = widgetChart("2.0.0", group, true, "size: 2");
        v2.put("widgets/crds/gadgets.yaml", crd(group, "gadgets", "Gadget", false));
        s.publishForRelease("app", v2);
        s.awaitReady("app", "UpgradeSucceeded");

        assertThat(properties(s, "gadgets." + group)).containsOnlyKeys("size");
        assertThat(properties(s, "widgets." + group)).as("Create does not replace an existing CRD").containsOnlyKeys("size");
    }

    /** A chart with the Widget CRD in crds/ (with {@code spec.color} when {@code withColor}) and one Widget. */
    static Map<String, String> widgetChart(String version, String group, boolean withColor, String widgetSpec) {
        Map<String, String> chart = HelmScenario.chartFiles("widgets", version, "{}\n");
        chart.put("widgets/crds/widgets.yaml", crd(group, "widgets", "Widget", withColor));
        chart.put("widgets/templates/widget.yaml", """
                apiVersion: %s/v1
                kind: Widget
                metadata:
                  name: {{ .Release.Name }}-widget
                spec:
                    %s
                """.formatted(group, widgetSpec));
        return chart;
    }

    static String crd(String group, String plural, String kind, boolean withColor) {
        return """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata:
                  name: %s.%s
                spec:
                  group: %s
                  scope: Namespaced
                  names:
                    plural: %s
                    singular: %s
                    kind: %s
                    listKind: %sList
                  versions:
                    - name: v1
                      served: true
                      storage: true
                      schema:
                        openAPIV3Schema:
                          type: object
                          properties:
                            spec:
                              type: object
                              properties:
                                size:
                                  type: integer
                %s""".formatted(plural, group, group, plural, plural.substring(0, plural.length() - 1), kind, kind,
                withColor ? "                color:\n                  type: string\n" : "");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> properties(HelmScenario s, String crdName) {
        var crd = s.client.apiextensions().v1().customResourceDefinitions().withName(crdName).get();
        assertThat(crd).as("CRD " + crdName).isNotNull();
        return (Map<String, Object>) (Map<?, ?>) crd.getSpec().getVersions().getFirst().getSchema().getOpenAPIV3Schema()
                .getProperties().get("spec").getProperties();
    }
}
