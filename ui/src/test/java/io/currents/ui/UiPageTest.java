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

    /** Waits until the UI's store has seen the object. */
    void awaitInStore(String kind, String namespace, String name) {
        await(() -> store.summary(kind, namespace, name).isPresent(), kind + " " + namespace + "/" + name + " in the store");
    }
}
