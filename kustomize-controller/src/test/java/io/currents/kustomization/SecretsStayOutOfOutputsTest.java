package io.currents.kustomization;

import io.currents.testkit.LogCapture;
import io.currents.testkit.sops.AgeIdentity;
import io.currents.testkit.sops.SopsEncryptor;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SOPS keys, the values they decrypt and the values substituted from a Secret never show in what kustomize-controller
 * writes: the Kustomizations' status, Kubernetes events, its log (every record, exception traces included) and
 * /metrics, for a decryption that succeeds and one that fails with the wrong key.
 */
@QuarkusTest
class SecretsStayOutOfOutputsTest {

    @Test
    void plantedKeysAndDecryptedValuesAppearInNoStatusEventLogOrMetric() throws Exception {
        AgeIdentity right = AgeIdentity.generate();
        AgeIdentity wrong = AgeIdentity.generate();
        String decrypted = "planted-sops-value-" + UUID.randomUUID();
        String undecryptable = "planted-undecryptable-" + UUID.randomUUID();
        String substituted = "planted-substituted-" + UUID.randomUUID();
        List<String> planted = List.of(right.identity(), wrong.identity(), decrypted, undecryptable, substituted);

        try (LogCapture log = LogCapture.start()) {
            var s = new KustomizationScenario("ks-planted");
            s.client.secrets().inNamespace(s.namespace).resource(new SecretBuilder().withNewMetadata().withName("sops-right").endMetadata()
                    .addToStringData("identity.agekey", right.keyFile()).build()).create();
            s.client.secrets().inNamespace(s.namespace).resource(new SecretBuilder().withNewMetadata().withName("sops-wrong").endMetadata()
                    .addToStringData("identity.agekey", wrong.keyFile()).build()).create();
            s.client.secrets().inNamespace(s.namespace).resource(new SecretBuilder().withNewMetadata().withName("vars").endMetadata()
                    .addToStringData("TOKEN", substituted).build()).create();

            String good = s.commit("good", Map.of(
                    "secret.yaml", new SopsEncryptor().age(right.recipient()).encryptedRegex("^(data|stringData)$")
                            .encryptYaml(secret(s.namespace, "db", decrypted)),
                    "config.yaml", KustomizationScenario.configMap("settings", s.namespace, Map.of("token", "${TOKEN}"))));
            s.commit("bad", Map.of("secret.yaml", new SopsEncryptor().age(AgeIdentity.generate().recipient())
                    .encryptedRegex("^(data|stringData)$").encryptYaml(secret(s.namespace, "other", undecryptable))));
            s.apply(KustomizationScenario.kustomization("good", "good", "", decryption("sops-right") + """
                    postBuild:
                      substituteFrom:
                        - kind: Secret
                          name: vars
                    """));
            s.apply(KustomizationScenario.kustomization("bad", "bad", "", decryption("sops-wrong")));
            s.awaitApplied("good", good);
            s.awaitNotReady("bad", "BuildFailed");
            // the secrets did reach the cluster: a leak would have had its chance to show
            assertThat(s.client.secrets().inNamespace(s.namespace).withName("db").get().getData()).containsKey("password");
            assertThat(s.client.configMaps().inNamespace(s.namespace).withName("settings").get().getData()).containsEntry("token", substituted);

            List<String> outputs = new ArrayList<>();
            var yaml = s.client.getKubernetesSerialization();
            for (String name : List.of("good", "bad")) {
                outputs.add("status of Kustomization " + name + ": " + yaml.asYaml(s.get(name).getStatus()));
            }
            s.client.v1().events().inNamespace(s.namespace).list().getItems()
                    .forEach(e -> outputs.add("event: " + e.getReason() + " " + e.getMessage()));
            log.lines().forEach(l -> outputs.add("log: " + l));
            outputs.add("metrics: " + HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + System.getProperty("quarkus.management.test-port") + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());

            assertThat(outputs).anyMatch(o -> o.startsWith("status of Kustomization bad") && o.contains("decryption failed"));
            assertThat(outputs).anyMatch(o -> o.startsWith("event: BuildFailed"));
            assertThat(outputs).anyMatch(o -> o.startsWith("event: ") && o.contains("Secret/" + s.namespace + "/db"));
            assertThat(outputs).anyMatch(o -> o.startsWith("metrics: ") && o.contains("gotk_reconcile"));
            assertThat(outputs).anyMatch(o -> o.startsWith("log: "));
            for (String secret : planted) {
                assertThat(outputs).as("outputs holding " + secret).noneMatch(o -> o.contains(secret));
            }
        }
    }

    private static String secret(String namespace, String name, String password) {
        return """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: %s
                  namespace: %s
                stringData:
                  password: %s
                """.formatted(name, namespace, password);
    }

    private static String decryption(String secretName) {
        return """
                decryption:
                  provider: sops
                  secretRef:
                    name: %s
                """.formatted(secretName);
    }
}
