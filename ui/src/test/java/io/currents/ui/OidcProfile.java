package io.currents.ui;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;
import java.util.Map;

/** The UI with OIDC login against {@link FakeOidcProvider}; token login off. */
public class OidcProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("currents.ui.token.value", "");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FakeOidcProvider.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
