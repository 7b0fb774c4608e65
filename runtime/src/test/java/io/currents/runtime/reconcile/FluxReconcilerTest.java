package io.currents.runtime.reconcile;

import io.currents.api.source.v1.GitRepository;
import io.currents.api.source.v1.GitRepositorySpec;
import io.currents.api.source.v1.GitRepositoryStatus;
import io.currents.runtime.events.EventRecorder;
import io.currents.testkit.ControlPlane;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules of the reconcile skeleton, on a real API server with a kind whose steps the test scripts: suspend,
 * reconcile requests, failures, Ready-change events, status written only when it changed and never the spec,
 * progress written while the steps run.
 */
@Tag("cluster")
class FluxReconcilerTest {

    private static final String MANAGER = "skeleton-test";
    private static KubernetesClient client;

    /** A reconciler of GitRepositories whose steps are whatever the test sets. */
    static class Scripted extends FluxReconciler<GitRepository, GitRepositoryStatus> {
        Steps script = r -> Ready.of("Succeeded", "done");

        interface Steps {
            Ready run(Reconciliation<GitRepository, GitRepositoryStatus> r) throws ReconcileFailure;
        }

        Scripted() {
            ReconcileMetrics metrics = new ReconcileMetrics();
            metrics.registry = new SimpleMeterRegistry();
            useRuntime(FluxReconcilerTest.client, new EventRecorder(FluxReconcilerTest.client, MANAGER), metrics, 0);
        }

        @Override
        protected GitRepositoryStatus newStatus() {
            return new GitRepositoryStatus();
        }

        @Override
        protected Ready steps(Reconciliation<GitRepository, GitRepositoryStatus> r) throws ReconcileFailure {
            return script.run(r);
        }
    }

    @BeforeAll
    static void crds() {
        ControlPlane plane = ControlPlane.shared();
        plane.applyCrds(ControlPlane.projectRoot().resolve("manifests").resolve("crds"));
        client = plane.client();
    }

    @Test
    void aSuspendedObjectRecordsTheReconcileRequestAndNothingElse() {
        GitRepository repo = create("suspended", true, "token-1");
        Scripted reconciler = new Scripted();
        reconciler.script = r -> {
            throw new AssertionError("a suspended object runs no step");
        };
        UpdateControl<GitRepository> control = reconciler.reconcile(repo, MANAGER, null);

        GitRepository read = read(repo);
        assertThat(read.getStatus().getLastHandledReconcileAt()).isEqualTo("token-1");
        assertThat(read.getStatus().getConditions()).isEmpty();
        assertThat(control.getScheduleDelay()).isEmpty();
    }

    @Test
    void aRetriedFailureSetsReadyFalseWithItsReasonAndBacksOff() {
        GitRepository repo = create("retried", false, null);
        Scripted reconciler = new Scripted();
        reconciler.script = r -> {
            throw ReconcileFailure.retry("FetchFailed", "no route to host");
        };
        UpdateControl<GitRepository> first = reconciler.reconcile(repo, MANAGER, null);
        UpdateControl<GitRepository> second = reconciler.reconcile(read(repo), MANAGER, null);

        GitRepository read = read(repo);
        assertThat(condition(read, "Ready")).extracting(Condition::getStatus, Condition::getReason, Condition::getMessage)
                .containsExactly("False", "FetchFailed", "no route to host");
        assertThat(condition(read, "Reconciling")).extracting(Condition::getStatus, Condition::getReason)
                .containsExactly("True", "ProgressingWithRetry");
        assertThat(read.getStatus().getObservedGeneration()).isEqualTo(read.getMetadata().getGeneration());
        assertThat(first.getScheduleDelay()).contains(1000L);
        assertThat(second.getScheduleDelay()).contains(2000L);
        assertThat(warnings(repo)).as("one event: Ready changed once").hasSize(1);
    }

    @Test
    void aStalledFailureIsNotRetried() {
        GitRepository repo = create("stalled", false, null);
        Scripted reconciler = new Scripted();
        reconciler.script = r -> {
            throw ReconcileFailure.stalled("URLInvalid", "spec.url is empty");
        };
        UpdateControl<GitRepository> control = reconciler.reconcile(repo, MANAGER, null);

        GitRepository read = read(repo);
        assertThat(condition(read, "Stalled")).extracting(Condition::getStatus, Condition::getReason).containsExactly("True", "URLInvalid");
        assertThat(condition(read, "Ready")).extracting(Condition::getStatus).isEqualTo("False");
        assertThat(read.getStatus().getConditions()).noneMatch(c -> "Reconciling".equals(c.getType()));
        assertThat(control.getScheduleDelay()).isEmpty();
    }

    @Test
    void anExceptionIsARetriedFailureNamedAfterIt() {
        GitRepository repo = create("exception", false, null);
        Scripted reconciler = new Scripted();
        reconciler.script = r -> {
            throw new IllegalStateException("the unexpected");
        };
        reconciler.reconcile(repo, MANAGER, null);
        assertThat(condition(read(repo), "Ready")).extracting(Condition::getReason, Condition::getMessage)
                .containsExactly("Failed", "reconciliation failed: the unexpected");
    }

    @Test
    void aStatusThatDidNotChangeIsNotWrittenAndReadyIsAnnouncedOnce() {
        GitRepository repo = create("quiet", false, null);
        Scripted reconciler = new Scripted();
        UpdateControl<GitRepository> control = reconciler.reconcile(repo, MANAGER, null);
        GitRepository afterFirst = read(repo);
        reconciler.reconcile(afterFirst, MANAGER, null);
        GitRepository afterSecond = read(repo);

        assertThat(condition(afterFirst, "Ready")).extracting(Condition::getStatus, Condition::getReason).containsExactly("True", "Succeeded");
        assertThat(afterSecond.getMetadata().getResourceVersion()).isEqualTo(afterFirst.getMetadata().getResourceVersion());
        assertThat(events(repo)).filteredOn(e -> "Normal".equals(e.getType())).extracting(Event::getMessage).containsExactly("done");
        assertThat(control.getScheduleDelay()).contains(Duration.ofMinutes(10).toMillis());
    }

    @Test
    void theSpecIsNeverWritten() {
        GitRepository repo = create("owner", false, null);
        new Scripted().reconcile(repo, MANAGER, null);
        List<ManagedFieldsEntry> entries = read(repo).getMetadata().getManagedFields();
        assertThat(entries).filteredOn(e -> MANAGER.equals(e.getManager())).isNotEmpty()
                .allMatch(e -> !e.getFieldsV1().getAdditionalProperties().containsKey("f:spec"));
    }

    @Test
    void progressIsWrittenWhileTheStepsRunAndTheRequestOnlyOnceTheyEnd() {
        GitRepository repo = create("progress", false, "token-2");
        Scripted reconciler = new Scripted();
        AtomicReference<GitRepository> midRun = new AtomicReference<>();
        AtomicReference<Boolean> requested = new AtomicReference<>();
        reconciler.script = r -> {
            requested.set(r.requested());
            r.progress("building artifact: fetching");
            midRun.set(read(repo));
            return Ready.of("Succeeded", "stored");
        };
        reconciler.reconcile(repo, MANAGER, null);

        assertThat(requested.get()).isTrue();
        assertThat(condition(midRun.get(), "Reconciling")).extracting(Condition::getStatus, Condition::getReason, Condition::getMessage)
                .containsExactly("True", "Progressing", "building artifact: fetching");
        assertThat(condition(midRun.get(), "Ready")).extracting(Condition::getStatus).isEqualTo("Unknown");
        assertThat(midRun.get().getStatus().getLastHandledReconcileAt()).isNull();

        GitRepository done = read(repo);
        assertThat(done.getStatus().getLastHandledReconcileAt()).isEqualTo("token-2");
        assertThat(done.getStatus().getConditions()).extracting(Condition::getType).containsExactly("Ready");
    }

    @Test
    void aFieldSetButNotActedOnIsNamedInTheReadyMessageAndInOneWarningPerGeneration() {
        GitRepository repo = create("unsupported", false, null);
        client.resources(GitRepository.class).inNamespace(repo.getMetadata().getNamespace()).withName("unsupported")
                .edit(g -> {
                    g.getSpec().setServiceAccountName("tenant");
                    return g;
                });
        Scripted reconciler = new Scripted() {
            @Override
            protected io.currents.runtime.options.UnsupportedOptions unsupportedOptions() {
                return io.currents.runtime.options.UnsupportedOptions.builder().whenSet("spec.serviceAccountName")
                        .whenSet("spec.proxySecretRef").build();
            }
        };
        reconciler.reconcile(read(repo), MANAGER, null);
        reconciler.reconcile(read(repo), MANAGER, null);

        String note = "spec.serviceAccountName is set but not supported by this " + MANAGER + " (see docs/" + MANAGER + ".md)";
        assertThat(condition(read(repo), "Ready")).extracting(Condition::getStatus, Condition::getMessage)
                .containsExactly("True", "done; " + note);
        assertThat(warnings(repo)).extracting(Event::getReason, Event::getMessage).containsExactly(
                org.assertj.core.groups.Tuple.tuple("UnsupportedOptions", note));
    }

    private static GitRepository create(String name, boolean suspend, String requestedAt) {
        String namespace = ControlPlane.shared().createNamespace("skeleton-" + name);
        GitRepository repo = new GitRepository();
        repo.getMetadata().setName(name);
        repo.getMetadata().setNamespace(namespace);
        if (requestedAt != null) {
            Map<String, String> annotations = new HashMap<>();
            annotations.put("reconcile.fluxcd.io/requestedAt", requestedAt);
            repo.getMetadata().setAnnotations(annotations);
        }
        GitRepositorySpec spec = new GitRepositorySpec();
        spec.setUrl("https://example.com/repo.git");
        spec.setInterval("10m");
        spec.setSuspend(suspend ? true : null);
        repo.setSpec(spec);
        return client.resource(repo).fieldManager("person").serverSideApply();
    }

    private static GitRepository read(GitRepository repo) {
        return client.resources(GitRepository.class).inNamespace(repo.getMetadata().getNamespace()).withName(repo.getMetadata().getName()).get();
    }

    private static Condition condition(GitRepository repo, String type) {
        return Conditions.find(repo.getStatus() == null ? new ArrayList<>() : repo.getStatus().getConditions(), type).orElse(null);
    }

    private static List<Event> events(GitRepository repo) {
        return client.v1().events().inNamespace(repo.getMetadata().getNamespace()).list().getItems().stream()
                .filter(e -> repo.getMetadata().getName().equals(e.getInvolvedObject().getName())).toList();
    }

    private static List<Event> warnings(GitRepository repo) {
        return events(repo).stream().filter(e -> "Warning".equals(e.getType())).toList();
    }
}
