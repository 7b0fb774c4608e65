package io.currents.image;

import io.currents.api.image.v1.ImagePolicy;
import io.currents.api.image.v1.ImageRepository;
import io.currents.api.image.v1.ImageUpdateAutomation;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.currents.image.ImageScenario.ready;
import static io.currents.image.ImageScenario.readyReason;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code reconcile.fluxcd.io/requestedAt} request is answered in {@code status.lastHandledReconcileAt} by every
 * reconcile that sees it, as Flux does: while the object is suspended, and when the reconcile fails, so that
 * {@code flux reconcile} (and {@code currents reconcile}) learns the request was seen.
 */
@QuarkusTest
@QuarkusTestResource(value = ImageControllerTestResource.class, restrictToAnnotatedClass = false)
class ImageReconcileRequestTest {

    private static final String TOKEN = "2026-12-04T10:00:00Z";

    @Test
    void aRequestIsRecordedWhileTheObjectIsSuspended() {
        var s = new ImageScenario("imgreq-suspended");
        s.apply("""
                apiVersion: image.toolkit.fluxcd.io/v1
                kind: ImageRepository
                metadata:
                  name: app
                  namespace: NS
                  annotations:
                    reconcile.fluxcd.io/requestedAt: "%s"
                spec:
                  image: registry.example.com/team/app
                  interval: 10m
                  suspend: true
                ---
                apiVersion: image.toolkit.fluxcd.io/v1
                kind: ImagePolicy
                metadata:
                  name: app
                  namespace: NS
                  annotations:
                    reconcile.fluxcd.io/requestedAt: "%s"
                spec:
                  imageRepositoryRef:
                    name: app
                  policy:
                    semver:
                      range: ">=1.0.0"
                  suspend: true
                ---
                apiVersion: image.toolkit.fluxcd.io/v1
                kind: ImageUpdateAutomation
                metadata:
                  name: app
                  namespace: NS
                  annotations:
                    reconcile.fluxcd.io/requestedAt: "%s"
                spec:
                  interval: 10m
                  suspend: true
                  sourceRef:
                    kind: GitRepository
                    name: app
                  git:
                    commit:
                      author:
                        name: Image Bot
                        email: bot@example.com
                """.formatted(TOKEN, TOKEN, TOKEN));

        ImageRepository repo = s.awaitRepository("app", r -> r.getStatus() != null && TOKEN.equals(r.getStatus().getLastHandledReconcileAt()));
        ImagePolicy policy = s.awaitPolicy("app", p -> p.getStatus() != null && TOKEN.equals(p.getStatus().getLastHandledReconcileAt()));
        ImageUpdateAutomation automation = s.awaitAutomation("app",
                a -> a.getStatus() != null && TOKEN.equals(a.getStatus().getLastHandledReconcileAt()));
        // suspended: nothing else was done
        assertThat(repo.getStatus().getLastScanResult()).isNull();
        assertThat(policy.getStatus().getLatestRef()).isNull();
        assertThat(automation.getStatus().getLastAutomationRunTime()).isNull();
    }

    @Test
    void aRequestIsRecordedWhenTheReconcileFails() {
        var s = new ImageScenario("imgreq-failed");
        s.apply("""
                apiVersion: image.toolkit.fluxcd.io/v1
                kind: ImageRepository
                metadata:
                  name: app
                  namespace: NS
                  annotations:
                    reconcile.fluxcd.io/requestedAt: "%s"
                spec:
                  image: registry.example.com/team/app:1.0
                  interval: 10m
                """.formatted(TOKEN));

        ImageRepository repo = s.awaitRepository("app", r -> r.getStatus() != null && ready(r.getStatus().getConditions(), "False"));
        assertThat(readyReason(repo.getStatus().getConditions())).isEqualTo("ImageURLInvalid");
        assertThat(repo.getStatus().getLastHandledReconcileAt()).isEqualTo(TOKEN);
    }
}
