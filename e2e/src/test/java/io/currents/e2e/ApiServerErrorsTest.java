package io.currents.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;

import static io.currents.e2e.Eventually.await;
import static io.currents.e2e.FluxObjects.describe;
import static io.currents.e2e.FluxObjects.notReadyReason;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API server answers kustomize-controller's applies with errors (500, then 429 with {@code Retry-After}), then
 * answers slowly (3 seconds a request): while the errors last the Kustomization is Ready=False, the controller backs
 * off instead of looping (its requests are counted over a 20-second window) and nothing is applied; once the errors
 * stop it converges, slow answers and all.
 */
@Tag("faults")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Order(4)
class ApiServerErrorsTest extends FaultScenario {

    static final Duration WINDOW = Duration.ofSeconds(20);
    /** Two requests a second: the Kustomization's retryInterval (5s) allows four attempts in the window; a hot loop makes hundreds. */
    static final int MAX_REQUESTS_IN_WINDOW = 40;

    FaultyApiServer api;

    @Override
    String scenario() {
        return "api-errors";
    }

    @BeforeAll
    void start() {
        api = cluster.faultyApiServer();
    }

    @AfterAll
    void close() {
        cluster.routeApiThrough(null);
        api.close();
    }

    @Test
    @Order(1)
    void errorsAreRetriedWithBackoffAndSlowAnswersStillConverge() {
        String first = repo.change("main").file("app/config.yaml", configMap("one")).commit("one");
        flux.applyGitRepositoryAndKustomization("app", cluster.url(repo), "./app", "10s");
        awaitApplied(first);

        cluster.routeApiThrough(api);
        await("the controllers talk to the API server through the faulty proxy", Duration.ofMinutes(1),
                () -> api.requests().stream().anyMatch(r -> r.path().contains("/leases/")), () -> api.requests().size() + " requests");
        String applies = "/api/v1/namespaces/" + ns + "/configmaps";
        api.inject(new FaultyApiServer.Fault(r -> r.method().equals("PATCH") && r.path().startsWith(applies), 500, Duration.ZERO));
        String second = repo.change("main").file("app/config.yaml", configMap("two")).commit("two");
        flux.requestReconcile("source.toolkit.fluxcd.io/v1", "GitRepository", "app");
        await("the Kustomization reports the failed apply", Duration.ofMinutes(2),
                () -> notReadyReason(flux.kustomization("app")) != null, () -> describe(flux.kustomization("app")));
        long internalErrors = countApplies(applies);
        assertThat(value()).as("nothing applied while the API server fails").isEqualTo("one");

        api.inject(new FaultyApiServer.Fault(r -> r.method().equals("PATCH") && r.path().startsWith(applies), 429, Duration.ZERO));
        long throttled = countApplies(applies);
        assertThat(value()).isEqualTo("one");

        api.inject(new FaultyApiServer.Fault(r -> r.path().contains("/namespaces/" + ns + "/"), 0, Duration.ofSeconds(3)));
        long slow = System.nanoTime();
        awaitApplied(second);
        System.out.printf("[faults] API errors: %d apply requests in %ds of 500s, %d in %ds of 429s; with 3s answers applied in %d ms%n",
                internalErrors, WINDOW.toSeconds(), throttled, WINDOW.toSeconds(), Duration.ofNanos(System.nanoTime() - slow).toMillis());
        assertThat(internalErrors).as("apply requests during %ds of 500s", WINDOW.toSeconds()).isBetween(1L, (long) MAX_REQUESTS_IN_WINDOW);
        assertThat(throttled).as("apply requests during %ds of 429s", WINDOW.toSeconds()).isBetween(1L, (long) MAX_REQUESTS_IN_WINDOW);
        assertThat(value()).isEqualTo("two");
        api.inject(null);
    }

    /** The apply requests kustomize-controller sends during the window (a measurement, not a wait for readiness). */
    private long countApplies(String applies) {
        int before = api.requests().size();
        Eventually.sleep(WINDOW);
        var after = api.requests();
        return after.subList(before, after.size()).stream()
                .filter(r -> r.method().equals("PATCH") && r.path().startsWith(applies)).count();
    }

    /**
     * A restarting API server answers 404 for custom resources until it serves their definitions again: a status write
     * answered 404 while the Kustomization exists must be tried again, not taken for a deletion (soak seed 20261205,
     * minute 41: the Kustomization's status stayed at "Fetching manifests" and it was never reconciled again).
     */
    @Test
    @Order(2)
    void aStatusWriteAnswered404WhileTheObjectExistsIsRetried() {
        cluster.routeApiThrough(api);
        String status = "/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/" + ns + "/kustomizations/app/status";
        // the new revision's first status write (Reconciling) passes; the result's is answered 404, as in the soak
        java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();
        api.inject(new FaultyApiServer.Fault(r -> r.method().equals("PATCH") && r.path().startsWith(status)
                && writes.incrementAndGet() >= 2, 404, Duration.ZERO));
        String next = repo.change("main").file("app/config.yaml", configMap("three")).commit("three");
        flux.requestReconcile("source.toolkit.fluxcd.io/v1", "GitRepository", "app");
        await("kustomize-controller's status write is answered 404", Duration.ofMinutes(2),
                () -> writes.get() >= 2,
                () -> describe(flux.kustomization("app")));
        api.inject(null);
        long lifted = System.nanoTime();
        awaitApplied(next);
        System.out.printf("[faults] status write answered 404: the Kustomization's status caught up %d ms after the 404s stopped%n",
                Duration.ofNanos(System.nanoTime() - lifted).toMillis());
        assertThat(value()).isEqualTo("three");
    }
}
