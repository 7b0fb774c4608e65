package io.currents.ui;

import io.currents.testkit.ControlPlane;
import io.currents.testkit.ControlPlaneTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import jakarta.inject.Inject;

import java.net.URI;

import static io.currents.ui.UiTestSupport.await;

/**
 * What the UI's page tests share: the running UI on the shared control plane, its object store, the token of the test
 * profile's login, and a namespace of their own per scenario.
 */
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
abstract class UiPageTest {

    /** {@code %test.currents.ui.token.value} of the UI's application.properties. */
    static final String TOKEN = "test-login-token";

    @TestHTTPResource("/")
    URI base;

    @Inject
    ObjectStore store;

    /** A fresh namespace for one scenario. */
    static String namespace(String prefix) {
        return ControlPlane.shared().createNamespace(prefix);
    }

    /**
     * Waits until the UI's store holds the object as the API server has it now: the same resourceVersion, so a status
     * written after the create has arrived too (the create's watch event alone would leave it "Unknown").
     */
    void awaitInStore(String kind, String namespace, String name) {
        await(() -> store.summary(kind, namespace, name).isPresent(), kind + " " + namespace + "/" + name + " in the store");
        FluxKind fluxKind = store.summary(kind, namespace, name).orElseThrow().fluxKind();
        await(() -> {
            String current = UiTestSupport.kube().genericKubernetesResources(fluxKind.context()).inNamespace(namespace)
                    .withName(name).get().getMetadata().getResourceVersion();
            return store.object(kind, namespace, name)
                    .map(o -> current.equals(o.getMetadata().getResourceVersion())).orElse(false);
        }, kind + " " + namespace + "/" + name + " as the API server has it, in the store");
    }
}
