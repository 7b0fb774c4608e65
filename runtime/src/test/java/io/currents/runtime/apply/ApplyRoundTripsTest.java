package io.currents.runtime.apply;

import io.currents.testkit.ControlPlane;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The requests an apply sends to the API server, seen on the wire of a real client (issue 17: API round trips per
 * Kustomization). A new object costs a dry-run and an apply, no read; an unchanged one a dry-run and a read, no write.
 * Only ConfigMaps: no controller of the control plane writes them, so the counts are exact (a Deployment gets its
 * revision annotation and status from the Deployment controller right after its creation, and a read that sees a newer
 * version than the dry-run is repeated, ApplyWhileAnotherWriterEditsTest).
 */
@Tag("cluster")
class ApplyRoundTripsTest {

    @Test
    void aNewObjectIsNotReadAndAnUnchangedOneIsNotWritten() {
        ControlPlane plane = ControlPlane.shared();
        String ns = plane.createNamespace("apply-trips");
        List<String> requests = new CopyOnWriteArrayList<>();
        Interceptor recorder = new Interceptor() {
            @Override
            public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                if (request.uri().getPath().contains("/namespaces/" + ns + "/")) {
                    String query = request.uri().getQuery();
                    requests.add(request.method() + (query != null && query.contains("dryRun=All") ? " dry-run" : ""));
                }
            }
        };
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(plane.client().getConfiguration())
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("record", recorder)).build()) {
            var applier = new ServerSideApplier(client, "kustomize-controller").withParallelRequests(ServerSideApplier.PARALLEL_REQUESTS);
            var options = ApplyOptions.kustomizeController("kustomize-controller");
            var objects = Manifests.list(Manifests.configMap(ns, "settings", "color", "blue"), Manifests.configMap(ns, "tuning", "size", "small"));

            ChangeSet first = applier.applyAllStaged(objects, options);
            assertThat(first).hasToString("ConfigMap/" + ns + "/settings created\nConfigMap/" + ns + "/tuning created");
            assertThat(requests).containsExactlyInAnyOrder("PATCH dry-run", "PATCH dry-run", "PATCH", "PATCH");

            requests.clear();
            ChangeSet second = applier.applyAllStaged(objects, options);
            assertThat(second).hasToString("ConfigMap/" + ns + "/settings unchanged\nConfigMap/" + ns + "/tuning unchanged");
            assertThat(requests).containsExactlyInAnyOrder("PATCH dry-run", "PATCH dry-run", "GET", "GET");

            requests.clear();
            var changed = Manifests.list(Manifests.configMap(ns, "settings", "color", "green"), Manifests.configMap(ns, "tuning", "size", "small"));
            ChangeSet third = applier.applyAllStaged(changed, options);
            assertThat(third).hasToString("ConfigMap/" + ns + "/settings configured\nConfigMap/" + ns + "/tuning unchanged");
            assertThat(requests).containsExactlyInAnyOrder("PATCH dry-run", "PATCH dry-run", "GET", "GET", "PATCH");
            assertThat(plane.client().configMaps().inNamespace(ns).withName("settings").get().getData()).containsEntry("color", "green");
        }
    }
}
