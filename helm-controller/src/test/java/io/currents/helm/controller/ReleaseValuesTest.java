package io.currents.helm.controller;

import io.currents.runtime.helm.HelmValues;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Values composition rules: deep merge, targetPath placement and typing, and a digest independent of key order. */
class ReleaseValuesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) JSON.readTree(text);
    }

    @Test
    void mapsMergeKeyByKeyAndEverythingElseIsReplaced() throws Exception {
        ObjectNode base = json("{\"a\":{\"b\":1,\"c\":[1,2]},\"d\":\"x\"}");
        HelmValues.merge(base, json("{\"a\":{\"c\":[3],\"e\":true},\"d\":{\"f\":1}}"));
        assertThat(base).isEqualTo(json("{\"a\":{\"b\":1,\"c\":[3],\"e\":true},\"d\":{\"f\":1}}"));
    }

    @Test
    void targetPathPlacesATypedValueAndHonoursEscapedDots() throws Exception {
        ObjectNode values = json("{\"auth\":{\"user\":\"admin\"}}");
        HelmValues.setAtPath(values, "auth.password", "s3cret");
        HelmValues.setAtPath(values, "replicas", "3");
        HelmValues.setAtPath(values, "enabled", "true");
        HelmValues.setAtPath(values, "annotations.example\\.com/team", "blue");
        assertThat(values).isEqualTo(json("{\"auth\":{\"user\":\"admin\",\"password\":\"s3cret\"},\"replicas\":3,\"enabled\":true,"
                + "\"annotations\":{\"example.com/team\":\"blue\"}}"));
        assertThatThrownBy(() -> HelmValues.setAtPath(values, "a..b", "x")).hasMessageContaining("invalid targetPath 'a..b'");
    }

    @Test
    void aLiteralValueIsPlacedAsTheExactStringWhateverItLooksLike() throws Exception {
        ObjectNode values = json("{}");
        String config = "server:\n  port: 8080\nlist: [a,b]\nflag=true\n";
        HelmValues.setAtPath(values, "config.application\\.yml", config, true);
        HelmValues.setAtPath(values, "replicas", "3", true);
        HelmValues.setAtPath(values, "enabled", " true ", true);
        assertThat(values.at("/config/application.yml").asText()).isEqualTo(config);
        assertThat(values.get("replicas").isTextual()).isTrue();
        assertThat(values.get("enabled").asText()).isEqualTo(" true ");
    }

    @Test
    void theDigestDependsOnContentNotKeyOrder() throws Exception {
        String one = ReleaseValues.digest(json("{\"a\":1,\"b\":{\"c\":2,\"d\":3}}"));
        String two = ReleaseValues.digest(json("{\"b\":{\"d\":3,\"c\":2},\"a\":1}"));
        String other = ReleaseValues.digest(json("{\"a\":1,\"b\":{\"c\":2,\"d\":4}}"));
        assertThat(one).startsWith("sha256:").hasSize(71).isEqualTo(two).isNotEqualTo(other);
        // No values digest as nothing (sha256 of zero bytes), as in Flux.
        assertThat(ReleaseValues.digest(json("{}")))
                .isEqualTo("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    @org.junit.jupiter.api.Tag(io.currents.testkit.UnitTests.CLUSTER_TAG)
    void aValuesDocumentWithAnAliasBombIsRefusedNamingItsSource() {
        var client = io.currents.testkit.ControlPlane.shared().client();
        String ns = io.currents.testkit.ControlPlane.shared().createNamespace("values-bomb");
        StringBuilder bomb = new StringBuilder("l0: &l0 [lol, lol]\n");
        for (int i = 1; i < 25; i++) {
            bomb.append("l").append(i).append(": &l").append(i).append(" [*l").append(i - 1).append(", *l").append(i - 1).append("]\n");
        }
        client.configMaps().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata()
                .withName("bomb").endMetadata().addToData("values.yaml", bomb.toString()).build()).create();
        var hr = client.getKubernetesSerialization().unmarshal("""
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata: {name: app, namespace: %s}
                spec:
                  interval: 1h
                  valuesFrom:
                    - kind: ConfigMap
                      name: bomb
                """.formatted(ns), io.currents.api.helm.v2.HelmRelease.class);
        assertThatThrownBy(() -> HelmValues.compose(client, hr)).isInstanceOf(HelmValues.ValuesError.class)
                .hasMessageStartingWith("unable to read values from key 'values.yaml' in ConfigMap '" + ns + "/bomb': document contains"
                        + " excessive aliasing");
    }
}
