package io.currents.image;

import io.currents.api.image.v1.ImagePolicy;
import io.currents.api.image.v1.ImageRepository;
import io.currents.api.image.v1.ImageUpdateAutomation;
import io.currents.testkit.ControlPlane;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** What the image behaviour tests do to the cluster and check on it, each in a namespace of its own. */
final class ImageScenario {

    final KubernetesClient client = ControlPlane.shared().client();
    final String namespace;

    ImageScenario(String prefix) {
        this.namespace = ControlPlane.shared().createNamespace(prefix);
    }

    /** Applies a YAML manifest (server-side) in the scenario's namespace; {@code NS} in the text is replaced by it. */
    void apply(String yaml) {
        for (HasMetadata obj : client.load(new java.io.ByteArrayInputStream(yaml.replace("NS", namespace).getBytes(StandardCharsets.UTF_8))).items()) {
            client.resource(obj).fieldManager("test").forceConflicts().serverSideApply();
        }
    }

    /** A kubernetes.io/dockerconfigjson Secret with credentials for {@code registry}. */
    void dockerConfigSecret(String name, String registry, String username, String password) {
        String auth = Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        String config = "{\"auths\":{\"" + registry + "\":{\"username\":\"" + username + "\",\"password\":\"" + password + "\",\"auth\":\"" + auth + "\"}}}";
        client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName(name).endMetadata()
                .withType("kubernetes.io/dockerconfigjson")
                .withStringData(Map.of(".dockerconfigjson", config)).build()).serverSideApply();
    }

    void secret(String name, Map<String, String> data) {
        client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName(name).endMetadata()
                .withStringData(data).build()).serverSideApply();
    }

    static String imageRepository(String name, String image, String extraSpec) {
        return """
                apiVersion: image.toolkit.fluxcd.io/v1
                kind: ImageRepository
                metadata:
                  name: %s
                  namespace: NS
                spec:
                  image: %s
                  interval: 10m
                  insecure: true
                %s""".formatted(name, image, indent(extraSpec));
    }

    static String imagePolicy(String name, String repository, String policyAndMore) {
        return """
                apiVersion: image.toolkit.fluxcd.io/v1
                kind: ImagePolicy
                metadata:
                  name: %s
                  namespace: NS
                spec:
                  imageRepositoryRef:
                    name: %s
                %s""".formatted(name, repository, indent(policyAndMore));
    }

    private static String indent(String s) {
        if (s == null || s.isBlank()) {
            return "";
        }
        return s.stripIndent().lines().map(l -> "  " + l).reduce((a, b) -> a + "\n" + b).orElse("") + "\n";
    }

    ImageRepository repository(String name) {
        return client.resources(ImageRepository.class).inNamespace(namespace).withName(name).get();
    }

    ImagePolicy policy(String name) {
        return client.resources(ImagePolicy.class).inNamespace(namespace).withName(name).get();
    }

    ImageUpdateAutomation automation(String name) {
        return client.resources(ImageUpdateAutomation.class).inNamespace(namespace).withName(name).get();
    }

    /** Asks for a reconcile now, as {@code flux reconcile} does. */
    void requestReconcile(Class<? extends HasMetadata> type, String name) {
        client.resources(type).inNamespace(namespace).withName(name)
                .edit(o -> {
                    o.getMetadata().getAnnotations();
                    var annotations = o.getMetadata().getAnnotations() == null ? new java.util.HashMap<String, String>()
                            : new java.util.HashMap<>(o.getMetadata().getAnnotations());
                    annotations.put("reconcile.fluxcd.io/requestedAt", Instant.now().toString() + System.nanoTime());
                    o.getMetadata().setAnnotations(annotations);
                    return o;
                });
    }

    static Optional<Condition> condition(List<Condition> conditions, String type) {
        return conditions == null ? Optional.empty() : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    /** Waits until {@code check} holds for the freshly read object, or fails with its last state. */
    static <T extends HasMetadata> T await(String what, java.util.function.Supplier<T> read, Predicate<T> check) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        T last = null;
        while (Instant.now().isBefore(deadline)) {
            last = read.get();
            if (last != null && check.test(last)) {
                return last;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("timed out waiting for " + what + "; last state:\n" + (last == null ? "(not found)" : Serialization.asYaml(last)));
    }

    ImageRepository awaitRepository(String name, Predicate<ImageRepository> check) {
        return await("ImageRepository " + name, () -> repository(name), check);
    }

    ImagePolicy awaitPolicy(String name, Predicate<ImagePolicy> check) {
        return await("ImagePolicy " + name, () -> policy(name), check);
    }

    ImageUpdateAutomation awaitAutomation(String name, Predicate<ImageUpdateAutomation> check) {
        return await("ImageUpdateAutomation " + name, () -> automation(name), check);
    }

    static boolean ready(List<Condition> conditions, String status) {
        return condition(conditions, "Ready").map(c -> status.equals(c.getStatus())).orElse(false);
    }

    static String readyMessage(List<Condition> conditions) {
        return condition(conditions, "Ready").map(Condition::getMessage).orElse("");
    }

    static String readyReason(List<Condition> conditions) {
        return condition(conditions, "Ready").map(Condition::getReason).orElse("");
    }

    List<Event> events(String involvedName) {
        return client.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> involvedName.equals(e.getInvolvedObject().getName())).toList();
    }
}
