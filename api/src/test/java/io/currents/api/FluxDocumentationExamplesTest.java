package io.currents.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.currents.api.crd.CrdFiles;
import io.currents.testkit.ControlPlane;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The examples of Flux's documentation (written out in our own words and values in {@code flux-examples/},
 * with the same fields) are accepted by the API server with our CRDs as they are, lose no field in a
 * server-side apply dry run, and read into our Java types without losing a field.
 */
@Tag("cluster")
class FluxDocumentationExamplesTest {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private static KubernetesClient client;
    private static String namespace;

    @BeforeAll
    static void installCrds() {
        ControlPlane plane = ControlPlane.shared();
        plane.applyCrds(ControlPlane.projectRoot().resolve("manifests").resolve("crds"));
        client = plane.client();
        namespace = plane.createNamespace("flux-examples");
    }

    static Stream<Arguments> examples() throws IOException, URISyntaxException {
        Path dir = Path.of(FluxDocumentationExamplesTest.class.getResource("/flux-examples").toURI());
        List<Arguments> examples = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (String document : Files.readString(file).split("(?m)^---\\s*$")) {
                    JsonNode example = SERIALIZATION.unmarshal(document, JsonNode.class);
                    if (example != null && example.has("kind")) {
                        examples.add(Arguments.of(file.getFileName() + " " + example.path("metadata").path("name").asText(), example));
                    }
                }
            }
        }
        return examples.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void exampleDeserializesWithoutLoss(String name, JsonNode example) {
        HasMetadata typed = SERIALIZATION.convertValue(example, kindOf(example));
        JsonNode reserialized = tree(((CustomResource<?, ?>) typed).getSpec());
        assertThat(reserialized).isEqualTo(tree(example.get("spec")));
    }

    @Test
    void everyKindHasAnExample() throws Exception {
        List<String> kinds = examples().map(a -> ((JsonNode) a.get()[1]).get("kind").asText()).distinct().toList();
        assertThat(kinds).containsExactlyInAnyOrderElementsOf(CrdFiles.KINDS.stream().map(HasMetadata::getKind).toList());
    }

    /** A server-side apply dry run: the object the server would store is compared with what was sent. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void apiServerAcceptsExampleAsIs(String name, JsonNode example) throws Exception {
        ObjectNode document = example.deepCopy();
        ((ObjectNode) document.get("metadata")).put("namespace", namespace);
        Class<? extends HasMetadata> kind = kindOf(example);
        // Sent as raw text: the client's object mapping must not alter the document (it turns "" map values into null).
        String url = client.getMasterUrl() + "apis/" + HasMetadata.getApiVersion(kind) + "/namespaces/" + namespace + "/"
                + HasMetadata.getPlural(kind) + "/" + document.path("metadata").path("name").asText()
                + "?fieldManager=flux-examples&force=true&dryRun=All";
        HttpClient http = client.getHttpClient();
        HttpResponse<String> response = http.sendAsync(http.newHttpRequestBuilder().uri(url)
                .method("PATCH", "application/apply-patch+yaml", SERIALIZATION.asJson(document)).build(), String.class)
                .get(30, TimeUnit.SECONDS);

        assertThat(response.code()).as(response.body()).isBetween(200, 201);
        JsonNode stored = SERIALIZATION.unmarshal(response.body(), JsonNode.class).get("spec");
        assertContains(stored, tree(example.get("spec")), "spec");
    }

    private static Class<? extends HasMetadata> kindOf(JsonNode example) {
        String apiVersion = example.get("apiVersion").asText();
        String kind = example.get("kind").asText();
        return CrdFiles.KINDS.stream()
                .filter(k -> HasMetadata.getApiVersion(k).equals(apiVersion) && HasMetadata.getKind(k).equals(kind))
                .findFirst().orElseThrow(() -> new AssertionError("no Java type for " + apiVersion + " " + kind));
    }

    /** Every field of {@code expected} is in {@code actual} with the same value; the server may add defaults. */
    private static void assertContains(JsonNode actual, JsonNode expected, String path) {
        if (expected.isObject()) {
            assertThat(actual.isObject()).as(path + " is an object").isTrue();
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                assertThat(actual.has(field.getKey())).as(path + "." + field.getKey() + " was kept by the API server").isTrue();
                assertContains(actual.get(field.getKey()), field.getValue(), path + "." + field.getKey());
            }
        } else if (expected.isArray()) {
            assertThat(actual.size()).as(path + " length").isEqualTo(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                assertContains(actual.get(i), expected.get(i), path + "[" + i + "]");
            }
        } else {
            assertThat(actual).as(path).isEqualTo(expected);
        }
    }

    /** The JSON tree of a value, parsed from its JSON text so numbers compare by value, not by Java type. */
    private static JsonNode tree(Object value) {
        return SERIALIZATION.unmarshal(SERIALIZATION.asJson(value), JsonNode.class);
    }
}
