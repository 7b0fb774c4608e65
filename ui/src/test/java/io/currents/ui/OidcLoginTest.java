package io.currents.ui;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.currents.ui.UiTestSupport.send;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A browser's authorization code round trip against the loopback provider (discovery, authorize redirect, token
 * endpoint, JWKS; tokens signed by the test) ends on the overview as the provider's user; "Log out" ends the session
 * locally when the provider has no end_session_endpoint.
 */
@QuarkusTest
@TestProfile(OidcProfile.class)
class OidcLoginTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void aBrowserLogsInThroughTheProviderAndOutAgain() {
        FakeOidcProvider.nextUser = "carol@example.com";
        Browser browser = new Browser();
        HttpResponse<String> overview = browser.logIn(base);
        assertThat(overview.statusCode()).isEqualTo(200);
        assertThat(overview.body()).contains("id=\"current-user\" data-user=\"oidc:carol@example.com\"", "id=\"logout\"");

        HttpResponse<String> out = browser.send(base.resolve("/logout"), "POST");
        assertThat(out.statusCode()).isEqualTo(303);
        URI loggedOut = base.resolve(out.headers().firstValue("Location").orElseThrow());
        assertThat(loggedOut.getPath()).isEqualTo("/logged-out");
        assertThat(browser.send(loggedOut, "GET").body()).contains("id=\"logged-out\"");
        // the session is gone: the next page sends the browser to the provider again
        HttpResponse<String> again = browser.send(base.resolve("/"), "GET");
        assertThat(again.statusCode()).isEqualTo(302);
        assertThat(again.headers().firstValue("Location").orElseThrow()).startsWith(FakeOidcProvider.issuer() + "/auth");
    }

    /** A browser: follows redirects by hand and keeps cookies per name (every host here is loopback). */
    static final class Browser {
        final Map<String, String> cookies = new LinkedHashMap<>();

        HttpResponse<String> send(URI uri, String method) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/html")
                    .method(method, HttpRequest.BodyPublishers.noBody());
            if (!cookies.isEmpty()) {
                request.header("Cookie", String.join("; ", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
            }
            HttpResponse<String> response = UiTestSupport.send(request.build());
            for (String header : response.headers().allValues("Set-Cookie")) {
                String pair = header.split(";", 2)[0];
                String name = pair.substring(0, pair.indexOf('='));
                String value = pair.substring(pair.indexOf('=') + 1);
                if (value.isEmpty() || header.toLowerCase(java.util.Locale.ROOT).contains("max-age=0")) {
                    cookies.remove(name);
                } else {
                    cookies.put(name, value);
                }
            }
            return response;
        }

        /** Opens the overview and follows the redirects through the provider back to it. */
        HttpResponse<String> logIn(URI base) {
            URI next = base.resolve("/");
            List<String> hops = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                HttpResponse<String> response = send(next, "GET");
                if (response.statusCode() / 100 != 3) {
                    assertThat(hops).anyMatch(h -> h.startsWith(FakeOidcProvider.issuer() + "/auth"))
                            .anyMatch(h -> h.contains("code="));
                    return response;
                }
                String location = response.headers().firstValue("Location").orElseThrow();
                hops.add(location);
                next = next.resolve(location);
            }
            throw new AssertionError("too many redirects: " + hops);
        }
    }
}
