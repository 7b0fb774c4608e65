package io.currents.helm.controller;

import io.currents.api.helm.v2.HelmRelease;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * spec.test: Helm's test hooks run after install; their outcome is the TestSuccess condition and the snapshot's
 * test hook status. The local API server has no kubelet, so the test plays it and sets the test Pod's phase.
 */
@QuarkusTest
@QuarkusTestResource(value = HelmControllerTestResource.class, restrictToAnnotatedClass = false)
class HelmReleaseTestHooksTest {

    static java.util.Map<String, String> chartWithTest() {
        var chart = HelmScenario.configMapChart("demo", "1.0.0");
        return HelmScenario.withTemplate(chart, "test-pod.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: {{ .Release.Name }}-test
                  annotations:
                    helm.sh/hook: test
                spec:
                  automountServiceAccountToken: false
                  restartPolicy: Never
                  containers:
                    - name: test
                      image: busybox
                      command: ["true"]
                """);
    }

    /** Acts as the kubelet: waits for the test Pod and sets its phase. */
    static void finishTestPod(HelmScenario s, String name, String phase) {
        Pod pod = s.client.pods().inNamespace(s.namespace).withName(name)
                .waitUntilCondition(p -> p != null, 90, TimeUnit.SECONDS);
        pod.setStatus(new PodStatusBuilder().withPhase(phase).build());
        s.client.pods().inNamespace(s.namespace).resource(pod).updateStatus();
    }

    @Test
    void passingTestHooksMakeTestSuccessTrue() {
        var s = new HelmScenario("hr-test-ok");
        s.apply(HelmScenario.helmRelease("app", "demo", """
                test:
                  enable: true
                  timeout: 60s
                """));
        s.publishForRelease("app", chartWithTest());
        finishTestPod(s, "app-test", "Succeeded");

        HelmRelease tested = s.awaitReady("app", "TestSucceeded");
        assertThat(HelmScenario.status(tested, "TestSuccess")).isEqualTo("True");
        assertThat(HelmScenario.message(tested, "TestSuccess"))
                .isEqualTo("Helm test succeeded for release " + s.namespace + "/app.v1 with chart demo@1.0.0: 1 test hook completed successfully");
        assertThat(HelmScenario.reason(tested, "Released")).isEqualTo("InstallSucceeded");
        var hook = tested.getStatus().getHistory().getFirst().getTestHooks().get("app-test");
        assertThat(hook.getPhase()).isEqualTo("Succeeded");
        assertThat(hook.getLastStarted()).isNotNull();
        assertThat(hook.getLastCompleted()).isNotNull();
    }

    @Test
    void aFailingTestHookFailsTheReleaseUnlessIgnored() {
        var s = new HelmScenario("hr-test-fail");
        s.apply(HelmScenario.helmRelease("app", "demo", """
                test:
                  enable: true
                  timeout: 60s
                """));
        s.publishForRelease("app", chartWithTest());
        finishTestPod(s, "app-test", "Failed");

        HelmRelease failed = s.await("app", hr -> "False".equals(HelmScenario.status(hr, "TestSuccess"))
                && "True".equals(HelmScenario.status(hr, "Stalled")));
        assertThat(HelmScenario.reason(failed, "TestSuccess")).isEqualTo("TestFailed");
        assertThat(HelmScenario.message(failed, "TestSuccess")).startsWith("Helm test failed for release " + s.namespace + "/app.v1 with chart demo@1.0.0: ");
        assertThat(HelmScenario.reason(failed, "Ready")).isEqualTo("TestFailed");
        // The install itself worked: Released stays True; the failed test counts as a failed install.
        assertThat(HelmScenario.status(failed, "Released")).isEqualTo("True");
        assertThat(failed.getStatus().getInstallFailures()).isEqualTo(1L);
        assertThat(failed.getStatus().getHistory().getFirst().getTestHooks().get("app-test").getPhase()).isEqualTo("Failed");
        // A later reconcile does not turn the failed release Ready.
        failed = s.reconcileNow("app");
        assertThat(HelmScenario.status(failed, "Ready")).isEqualTo("False");
        assertThat(HelmScenario.reason(failed, "Ready")).isEqualTo("TestFailed");

        // test.ignoreFailures: the same failure leaves the release Ready.
        var s2 = new HelmScenario("hr-test-ignore");
        s2.apply(HelmScenario.helmRelease("app", "demo", """
                test:
                  enable: true
                  timeout: 60s
                  ignoreFailures: true
                """));
        s2.publishForRelease("app", chartWithTest());
        finishTestPod(s2, "app-test", "Failed");
        HelmRelease ignored = s2.await("app", hr -> "False".equals(HelmScenario.status(hr, "TestSuccess")));
        ignored = s2.awaitReady("app", "InstallSucceeded");
        assertThat(HelmScenario.reason(ignored, "TestSuccess")).isEqualTo("TestFailed");
        assertThat(ignored.getStatus().getInstallFailures()).isZero();
    }
}
