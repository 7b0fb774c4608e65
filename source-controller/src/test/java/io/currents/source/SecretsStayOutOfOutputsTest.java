package io.currents.source;

import io.currents.api.source.v1.GitRepository;
import io.currents.api.source.v1.HelmRepository;
import io.currents.source.helm.TestCharts;
import io.currents.testkit.LogCapture;
import io.currents.testkit.git.GitHttpServer;
import io.currents.testkit.git.TestRepo;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Passwords and tokens planted in Secrets, in a URL and in a wrong password never show in what the controller
 * writes: the objects' status, Kubernetes events, events posted to the events address, its log (every record,
 * with exception traces, the controller's own loggers at DEBUG) and /metrics.
 */
@QuarkusTest
@QuarkusTestResource(value = SourceControllerTestResource.class, restrictToAnnotatedClass = false)
class SecretsStayOutOfOutputsTest {

    @Test
    void plantedCredentialsAppearInNoStatusEventLogOrMetric() throws Exception {
        String gitPassword = "planted-git-pass-" + UUID.randomUUID();
        String wrongGitPassword = "planted-wrong-git-pass-" + UUID.randomUUID();
        String urlPassword = "planted-url-pass-" + UUID.randomUUID();
        String gitToken = "planted-git-token-" + UUID.randomUUID();
        String helmPassword = "planted-helm-pass-" + UUID.randomUUID();
        String wrongHelmPassword = "planted-wrong-helm-pass-" + UUID.randomUUID();
        List<String> planted = List.of(gitPassword, wrongGitPassword, urlPassword, gitToken, helmPassword, wrongHelmPassword);

        Path repos = Files.createTempDirectory("planted");
        try (LogCapture log = LogCapture.start();
             TestRepo repo = TestRepo.create(repos, "private");
             GitHttpServer git = GitHttpServer.builder(repos).basicAuth("git-user", gitPassword).bearerToken(gitToken).start();
             HelmRepoServer charts = HelmRepoServer.start()) {
            repo.commit("main", Map.of("app.yaml", "kind: ConfigMap\n"), "private app");
            charts.requireBasicAuth("flux", helmPassword).put("index.yaml", TestCharts.index(Map.of("app", List.of("1.0.0"))));
            var scenario = new SourceScenario("planted");
            scenario.secret("git-right", Map.of("username", "git-user", "password", gitPassword));
            scenario.secret("git-wrong", Map.of("username", "git-user", "password", wrongGitPassword));
            scenario.secret("git-token", Map.of("bearerToken", gitToken));
            scenario.secret("helm-right", Map.of("username", "flux", "password", helmPassword));
            scenario.secret("helm-wrong", Map.of("username", "flux", "password", wrongHelmPassword));
            String url = git.url(repo);
            String urlWithPassword = url.replace("http://", "http://git-user:" + urlPassword + "@");

            scenario.apply(GitRepository.class, gitRepository("right", url, "git-right"));
            scenario.apply(GitRepository.class, gitRepository("wrong", url, "git-wrong"));
            scenario.apply(GitRepository.class, gitRepository("token", url, "git-token"));
            scenario.apply(GitRepository.class, gitRepository("in-url", urlWithPassword, null));
            scenario.apply(HelmRepository.class, SourceScenario.helmRepository("right", charts.url(""), "secretRef:\n  name: helm-right\n"));
            scenario.apply(HelmRepository.class, SourceScenario.helmRepository("wrong", charts.url(""), "secretRef:\n  name: helm-wrong\n"));

            scenario.awaitReady(GitRepository.class, "right");
            scenario.awaitReady(GitRepository.class, "token");
            scenario.awaitReady(HelmRepository.class, "right");
            GitRepository wrong = scenario.await(GitRepository.class, "wrong", r -> "False".equals(SourceScenario.status(r, "Ready")));
            GitRepository inUrl = scenario.await(GitRepository.class, "in-url", r -> "False".equals(SourceScenario.status(r, "Ready")));
            HelmRepository wrongHelm = scenario.awaitNotReady(HelmRepository.class, "wrong", "Failed");

            List<String> outputs = new ArrayList<>();
            var yaml = scenario.client.getKubernetesSerialization();
            for (var r : List.of(scenario.get(GitRepository.class, "right"), scenario.get(GitRepository.class, "token"), wrong, inUrl)) {
                outputs.add("status of GitRepository " + r.getMetadata().getName() + ": " + yaml.asYaml(r.getStatus()));
            }
            for (var r : List.of(scenario.get(HelmRepository.class, "right"), wrongHelm)) {
                outputs.add("status of HelmRepository " + r.getMetadata().getName() + ": " + yaml.asYaml(r.getStatus()));
            }
            scenario.client.v1().events().inNamespace(scenario.namespace).list().getItems()
                    .forEach(e -> outputs.add("event: " + e.getReason() + " " + e.getMessage()));
            EventSink.received().forEach(e -> outputs.add("posted event: " + e));
            log.lines().forEach(l -> outputs.add("log: " + l));
            String port = System.getProperty("currents.test.management-port");
            outputs.add("metrics: " + HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());

            // the failures were seen, so a leak would have had its chance to show
            assertThat(outputs).anyMatch(o -> o.startsWith("status of GitRepository wrong") && o.contains("AuthenticationFailed"));
            assertThat(outputs).anyMatch(o -> o.startsWith("status of GitRepository in-url") && o.contains("AuthenticationFailed"));
            assertThat(outputs).anyMatch(o -> o.startsWith("status of HelmRepository wrong") && o.contains("401"));
            assertThat(outputs).anyMatch(o -> o.startsWith("event: AuthenticationFailed"));
            assertThat(outputs).anyMatch(o -> o.startsWith("posted event: ") && o.contains("401 Unauthorized"));
            assertThat(outputs).anyMatch(o -> o.startsWith("metrics: ") && o.contains("gotk_reconcile_condition"));
            assertThat(outputs).anyMatch(o -> o.startsWith("log: "));
            for (String secret : planted) {
                assertThat(outputs).as("outputs holding " + secret).noneMatch(o -> o.contains(secret));
            }
        }
    }

    private static String gitRepository(String name, String url, String secret) {
        return """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: GitRepository
                metadata:
                  name: %s
                spec:
                  interval: 10m
                  timeout: 20s
                  url: %s
                  ref:
                    branch: main
                %s""".formatted(name, url, secret == null ? "" : "  secretRef:\n    name: " + secret + "\n");
    }
}
