package io.currents.source;

import io.currents.api.meta.Artifact;
import io.currents.testkit.ControlPlane;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;

import java.lang.reflect.Method;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** What the Helm source behaviour tests do to the cluster and check on it, for any source kind, in a namespace of their own. */
final class SourceScenario {

    final KubernetesClient client = ControlPlane.shared().client();
    final String namespace;

    SourceScenario(String prefix) {
        this.namespace = ControlPlane.shared().createNamespace(prefix);
    }

    <T extends HasMetadata> T apply(Class<T> type, String yaml) {
        T obj = client.getKubernetesSerialization().unmarshal(yaml, type);
        obj.getMetadata().setNamespace(namespace);
        return client.resource(obj).create();
    }

    <T extends HasMetadata> T get(Class<T> type, String name) {
        return client.resources(type).inNamespace(namespace).withName(name).get();
    }

    <T extends HasMetadata> T await(Class<T> type, String name, Predicate<T> condition) {
        try {
            return client.resources(type).inNamespace(namespace).withName(name)
                    .waitUntilCondition(r -> r != null && condition.test(r), 90, TimeUnit.SECONDS);
        } catch (KubernetesClientTimeoutException e) {
            T last = get(type, name);
            throw new AssertionError(type.getSimpleName() + " " + namespace + "/" + name + " did not reach the expected state; last seen:\n"
                    + (last == null ? "(gone)" : client.getKubernetesSerialization().asYaml(last)), e);
        }
    }

    <T extends HasMetadata> T awaitReady(Class<T> type, String name) {
        return await(type, name, r -> "True".equals(status(r, "Ready")) && observedCurrentGeneration(r));
    }

    <T extends HasMetadata> T awaitNotReady(Class<T> type, String name, String reason) {
        return await(type, name, r -> "False".equals(status(r, "Ready"))
                && reason.equals(condition(r, "Ready").map(Condition::getReason).orElse("")));
    }

    /** Annotates the object with a reconcile request and waits until the controller has handled it. */
    <T extends HasMetadata> T reconcileNow(Class<T> type, String name) {
        String token = Instant.now().toString() + System.nanoTime();
        client.resources(type).inNamespace(namespace).withName(name).edit(r -> {
            r.getMetadata().getAnnotations().put("reconcile.fluxcd.io/requestedAt", token);
            return r;
        });
        return await(type, name, r -> token.equals(lastHandled(r)));
    }

    void secret(String name, Map<String, String> stringData) {
        client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName(name).endMetadata()
                .withStringData(stringData).build()).createOr(r -> r.update());
    }

    List<Event> events(String name) {
        return client.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName())).toList();
    }

    static String status(HasMetadata r, String type) {
        return condition(r, type).map(Condition::getStatus).orElse("");
    }

    @SuppressWarnings("unchecked")
    static Optional<Condition> condition(HasMetadata r, String type) {
        Object status = ((CustomResource<?, ?>) r).getStatus();
        if (status == null) {
            return Optional.empty();
        }
        List<Condition> conditions = (List<Condition>) call(status, "getConditions");
        return conditions == null ? Optional.empty() : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    static Artifact artifact(HasMetadata r) {
        Object status = ((CustomResource<?, ?>) r).getStatus();
        return status == null ? null : (Artifact) call(status, "getArtifact");
    }

    static boolean observedCurrentGeneration(HasMetadata r) {
        Object status = ((CustomResource<?, ?>) r).getStatus();
        return status != null && r.getMetadata().getGeneration().equals(call(status, "getObservedGeneration"));
    }

    private static String lastHandled(HasMetadata r) {
        Object status = ((CustomResource<?, ?>) r).getStatus();
        return status == null ? null : (String) call(status, "getLastHandledReconcileAt");
    }

    private static Object call(Object target, String method) {
        try {
            Method m = target.getClass().getMethod(method);
            return m.invoke(target);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Downloads an artifact by its URL and checks it against the digest and size in status. */
    static byte[] downloadVerified(Artifact artifact) throws Exception {
        byte[] bytes = GitRepositoryScenario.download(artifact.getUrl());
        if (!GitRepositoryScenario.sha256(bytes).equals(artifact.getDigest())) {
            throw new AssertionError("artifact digest mismatch: status " + artifact.getDigest() + ", download " + GitRepositoryScenario.sha256(bytes));
        }
        if (bytes.length != artifact.getSize()) {
            throw new AssertionError("artifact size mismatch");
        }
        return bytes;
    }

    static String helmRepository(String name, String url, String extraSpec) {
        return """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: HelmRepository
                metadata:
                  name: %s
                spec:
                  interval: 10m
                  timeout: 15s
                  url: %s
                %s""".formatted(name, url, extraSpec == null ? "" : extraSpec.indent(2));
    }

    static String helmChart(String name, String chart, String version, String sourceKind, String sourceName, String extraSpec) {
        return """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: HelmChart
                metadata:
                  name: %s
                spec:
                  interval: 10m
                  chart: %s
                  version: "%s"
                  sourceRef:
                    kind: %s
                    name: %s
                %s""".formatted(name, chart, version, sourceKind, sourceName, extraSpec == null ? "" : extraSpec.indent(2));
    }
}
