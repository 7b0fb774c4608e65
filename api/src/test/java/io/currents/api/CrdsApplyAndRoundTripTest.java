package io.currents.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.currents.api.crd.CrdFiles;
import io.currents.testkit.ControlPlane;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every CRD installs on a real API server, and an object with every field set comes back unchanged. */
@Tag("cluster")
class CrdsApplyAndRoundTripTest {

    private static KubernetesClient client;
    private static String namespace;

    @BeforeAll
    static void installCrds() {
        ControlPlane plane = ControlPlane.shared();
        plane.applyCrds(ControlPlane.projectRoot().resolve("manifests").resolve("crds"));
        client = plane.client();
        namespace = plane.createNamespace("api-round-trip");
    }

    static List<Class<? extends CustomResource<?, ?>>> kinds() {
        return CrdFiles.KINDS;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    <S, T> void fullyPopulatedObjectComesBackUnchanged(Class<? extends CustomResource<S, T>> kind) throws Exception {
        Type[] parameters = ((ParameterizedType) kind.getGenericSuperclass()).getActualTypeArguments();
        CustomResource<S, T> object = kind.getDeclaredConstructor().newInstance();
        object.setMetadata(new ObjectMetaBuilder().withName("every-field").withNamespace(namespace).build());
        @SuppressWarnings("unchecked")
        S spec = SampleObjects.fullyPopulated((Class<S>) parameters[0]);
        object.setSpec(spec);

        CustomResource<S, T> created = client.resource(object).create();
        JsonNode expectedSpec = tree(spec);
        assertThat(tree(raw(kind).get("spec"))).as("spec stored by the API server").isEqualTo(expectedSpec);
        assertThat(tree(client.resources(kind).inNamespace(namespace).withName("every-field").get().getSpec()))
                .as("spec read back into " + kind.getSimpleName()).isEqualTo(expectedSpec);

        if (parameters[1] != Void.class) {
            @SuppressWarnings("unchecked")
            T status = SampleObjects.fullyPopulated((Class<T>) parameters[1]);
            created.setStatus(status);
            client.resource(created).updateStatus();
            JsonNode expectedStatus = tree(status);
            assertThat(tree(raw(kind).get("status"))).as("status stored by the API server").isEqualTo(expectedStatus);
            assertThat(tree(client.resources(kind).inNamespace(namespace).withName("every-field").get().getStatus()))
                    .as("status read back into " + kind.getSimpleName()).isEqualTo(expectedStatus);
        }
    }

    private static java.util.Map<String, Object> raw(Class<? extends CustomResource<?, ?>> kind) {
        GenericKubernetesResource resource = client.genericKubernetesResources(ResourceDefinitionContext.fromResourceType(kind))
                .inNamespace(namespace).withName("every-field").get();
        return resource.getAdditionalProperties();
    }

    /** The JSON tree of a value, parsed from its JSON text so numbers compare by value, not by Java type. */
    private static JsonNode tree(Object value) {
        var serialization = client.getKubernetesSerialization();
        return serialization.unmarshal(serialization.asJson(value), JsonNode.class);
    }
}
