package io.currents.ui;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static io.currents.ui.UiTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class OverviewPageTest extends UiPageTest {

    @Test
    void listsRealObjectsWithTheirStateAndFiltersThem() {
        String ns = namespace("ui-overview");
        gitRepository(ns, "podinfo", "https://example.invalid/podinfo",
                readyStatus("True", "Succeeded", "stored artifact for revision 'main@sha1:abc'")
                + "artifact: {revision: 'main@sha1:abc', digest: 'sha256:00', path: p, url: http://x/p, lastUpdateTime: '2026-12-05T00:00:00Z'}\n");
        kustomization(ns, "apps", "podinfo", "path: ./apps", readyStatus("False", "BuildFailed", "kustomization.yaml not found"));
        await(() -> store.summary("Kustomization", ns, "apps").filter(s -> s.status() == ObjectSummary.Status.FAILED).isPresent(),
                "the store to see the failed Kustomization");

        HttpResponse<String> page = get(base, "/?namespace=" + ns, TOKEN);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"row-gitrepository-" + ns + "-podinfo\"", "main@sha1:abc",
                "id=\"row-kustomization-" + ns + "-apps\"", "kustomization.yaml not found");
        assertThat(page.body()).contains("data-status=\"ready\" data-count=\"1\"", "data-status=\"failed\" data-count=\"1\"");

        String failed = get(base, "/?namespace=" + ns + "&status=failed", TOKEN).body();
        assertThat(failed).contains("row-kustomization-" + ns + "-apps").doesNotContain("row-gitrepository-" + ns + "-podinfo");
        String byKind = get(base, "/?namespace=" + ns + "&kind=GitRepository", TOKEN).body();
        assertThat(byKind).contains("row-gitrepository-" + ns + "-podinfo").doesNotContain("row-kustomization-" + ns + "-apps");
        String byText = get(base, "/?q=" + "not+found&namespace=" + ns, TOKEN).body();
        assertThat(byText).contains("row-kustomization-" + ns + "-apps").doesNotContain("row-gitrepository-" + ns + "-podinfo");
    }

    @Test
    void theLoginFormSetsASessionCookieForTheRightTokenOnly() {
        HttpResponse<String> wrong = send(java.net.http.HttpRequest.newBuilder(base.resolve("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("token=guess")).build());
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("id=\"login-error\"");
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();

        HttpResponse<String> right = send(java.net.http.HttpRequest.newBuilder(base.resolve("/login?token=" + TOKEN)).GET().build());
        assertThat(right.statusCode()).isEqualTo(303);
        String cookie = right.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).contains("HttpOnly").containsIgnoringCase("SameSite=Strict");
        HttpResponse<String> page = send(java.net.http.HttpRequest.newBuilder(base.resolve("/")).header("Accept", "text/html")
                .header("Cookie", cookie.substring(0, cookie.indexOf(';'))).GET().build());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("data-user=\"ui-test-admin\"");
    }

    @Test
    void withoutALoginPagesRedirectToTheLoginForm() {
        HttpResponse<String> page = get(base, "/", "wrong-token");
        assertThat(page.statusCode()).isEqualTo(303);
        assertThat(page.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login"));
    }
}
