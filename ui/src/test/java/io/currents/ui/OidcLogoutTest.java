package io.currents.ui;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** "Log out" with a provider that advertises end_session_endpoint: RP-initiated logout, and the UI's session is gone. */
@QuarkusTest
@TestProfile(OidcLogoutTest.EndSessionProfile.class)
class OidcLogoutTest {

    /** {@link OidcProfile} with a provider that has an end_session_endpoint. */
    public static class EndSessionProfile extends OidcProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FakeOidcProvider.WithEndSession.class));
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Test
    void logOutSendsTheBrowserToTheProvidersEndSessionEndpoint() {
        FakeOidcProvider.nextUser = "dave@example.com";
        OidcLoginTest.Browser browser = new OidcLoginTest.Browser();
        assertThat(browser.logIn(base).body()).contains("data-user=\"oidc:dave@example.com\"");

        HttpResponse<String> out = browser.send(base.resolve("/logout"), "POST");
        assertThat(out.statusCode()).isEqualTo(303);
        URI provider = URI.create(out.headers().firstValue("Location").orElseThrow());
        assertThat(provider.toString()).startsWith(FakeOidcProvider.issuer() + "/logout?");
        Map<String, String> query = FakeOidcProvider.query(provider.getRawQuery());
        assertThat(query.get("post_logout_redirect_uri")).isEqualTo(base.resolve("/logged-out").toString());
        assertThat(query.get("client_id")).isEqualTo(FakeOidcProvider.CLIENT_ID);
        assertThat(query.get("id_token_hint")).isNotBlank();
        assertThat(browser.send(base.resolve("/"), "GET").statusCode()).isEqualTo(302);
    }
}
