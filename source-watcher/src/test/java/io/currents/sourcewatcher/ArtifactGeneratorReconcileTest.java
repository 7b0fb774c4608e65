package io.currents.sourcewatcher;

import io.currents.api.source.extensions.v1beta1.ArtifactGenerator;
import io.currents.api.source.v1.ExternalArtifact;
import io.currents.runtime.artifact.ArtifactArchive;
import io.currents.testkit.ControlPlane;
import io.currents.testkit.artifact.ArtifactServer;
import io.currents.testkit.artifact.PublishedArtifact;
import io.currents.testkit.artifact.TestSources;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An ArtifactGenerator over a GitRepository becomes Ready ExternalArtifacts served by source-watcher, rebuilt when
 * the source's artifact changes, and deleted with their files when the generator stops producing them or goes.
 */
@QuarkusTest
@QuarkusTestResource(SourceWatcherTestResource.class)
class ArtifactGeneratorReconcileTest {

    private static final ArtifactServer ARTIFACTS = ArtifactServer.start();
    private final KubernetesClient client = ControlPlane.shared().client();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterAll
    static void stop() {
        ARTIFACTS.close();
    }

    @Test
    void aGitRepositoryBecomesAReadyExternalArtifactThatFollowsNewCommits() throws Exception {
        String ns = ControlPlane.shared().createNamespace("generator");
        commit(ns, "one", Map.of("deploy/app.yaml", "kind: ConfigMap # one\n", "deploy/notes.txt", "left out", "README.md", "left out"));
        apply(ns, "app");

        ExternalArtifact ea = awaitArtifact(ns, "app", a -> a.getArtifact().getRevision().equals("main@sha1:one"));
        Condition ready = ready(ea.getStatus().getConditions());
        assertThat(ready.getStatus()).isEqualTo("True");
        assertThat(ready.getReason()).isEqualTo("Succeeded");
        assertThat(ea.getSpec().getSourceRef().getKind()).isEqualTo("ArtifactGenerator");
        assertThat(ea.getSpec().getSourceRef().getName()).isEqualTo("gen");
        assertThat(ea.getArtifact().getUrl()).startsWith("http://127.0.0.1:").contains("/externalartifact/" + ns + "/app/");
        assertThat(download(ea)).containsExactly(Map.entry("deploy/app.yaml", "kind: ConfigMap # one\n"));

        ArtifactGenerator generator = awaitGenerator(ns, g -> g.getStatus() != null && g.getStatus().getInventory() != null
                && !g.getStatus().getInventory().isEmpty());
        assertThat(generator.getStatus().getInventory()).singleElement().satisfies(ref -> {
            assertThat(ref.getName()).isEqualTo("app");
            assertThat(ref.getDigest()).isEqualTo(ea.getArtifact().getDigest());
        });
        assertThat(ready(generator.getStatus().getConditions()).getMessage()).isEqualTo("reconciliation succeeded, generated 1 artifact(s)");

        commit(ns, "two", Map.of("deploy/app.yaml", "kind: ConfigMap # two\n"));
        ExternalArtifact next = awaitArtifact(ns, "app", a -> a.getArtifact().getRevision().equals("main@sha1:two"));
        assertThat(next.getArtifact().getDigest()).isNotEqualTo(ea.getArtifact().getDigest());
        assertThat(download(next)).containsExactly(Map.entry("deploy/app.yaml", "kind: ConfigMap # two\n"));
    }

    @Test
    void anArtifactNoLongerGeneratedIsDeletedAndSoAreAllOfThemWithTheGenerator() throws Exception {
        String ns = ControlPlane.shared().createNamespace("generator-gc");
        commit(ns, "one", Map.of("deploy/app.yaml", "kind: ConfigMap\n"));
        apply(ns, "first");
        ExternalArtifact first = awaitArtifact(ns, "first", a -> true);

        apply(ns, "second");
        awaitArtifact(ns, "second", a -> true);
        await(() -> client.resources(ExternalArtifact.class).inNamespace(ns).withName("first").get() == null, "first deleted");
        assertThat(status(first.getArtifact().getUrl())).as("the old artifact is no longer served").isEqualTo(404);

        client.resources(ArtifactGenerator.class).inNamespace(ns).withName("gen").delete();
        await(() -> client.resources(ExternalArtifact.class).inNamespace(ns).list().getItems().isEmpty()
                && client.resources(ArtifactGenerator.class).inNamespace(ns).withName("gen").get() == null, "all gone");
    }

    private void commit(String ns, String sha, Map<String, String> files) {
        PublishedArtifact artifact = ARTIFACTS.publish("gitrepository/" + ns + "/repo/" + sha + ".tar.gz", "main@sha1:" + sha, files);
        new TestSources(client).gitRepository(ns, "repo", artifact);
    }

    private void apply(String ns, String artifactName) {
        String yaml = """
                apiVersion: source.extensions.fluxcd.io/v1beta1
                kind: ArtifactGenerator
                metadata:
                  name: gen
                  namespace: %s
                spec:
                  sources:
                    - alias: repo
                      kind: GitRepository
                      name: repo
                  artifacts:
                    - name: %s
                      revision: "@repo"
                      copy:
                        - from: "@repo/deploy/*.yaml"
                          to: "@artifact/"
                """.formatted(ns, artifactName);
        client.resource(client.getKubernetesSerialization().unmarshal(yaml, ArtifactGenerator.class))
                .fieldManager("test").forceConflicts().serverSideApply();
    }

    private ExternalArtifact awaitArtifact(String ns, String name, java.util.function.Predicate<ExternalArtifact> test) {
        ExternalArtifact[] found = new ExternalArtifact[1];
        await(() -> {
            ExternalArtifact ea = client.resources(ExternalArtifact.class).inNamespace(ns).withName(name).get();
            found[0] = ea;
            return ea != null && ea.getArtifact() != null && test.test(ea);
        }, "ExternalArtifact " + name);
        return found[0];
    }

    private ArtifactGenerator awaitGenerator(String ns, java.util.function.Predicate<ArtifactGenerator> test) {
        ArtifactGenerator[] found = new ArtifactGenerator[1];
        await(() -> {
            found[0] = client.resources(ArtifactGenerator.class).inNamespace(ns).withName("gen").get();
            return found[0] != null && test.test(found[0]);
        }, "ArtifactGenerator gen");
        return found[0];
    }

    private static Condition ready(List<Condition> conditions) {
        return conditions.stream().filter(c -> "Ready".equals(c.getType())).findFirst().orElseThrow();
    }

    private Map<String, String> download(ExternalArtifact ea) throws Exception {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(ea.getArtifact().getUrl())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        Path dir = Files.createTempDirectory("ea");
        try (InputStream in = new ByteArrayInputStream(response.body())) {
            ArtifactArchive.extract(in, dir, 1 << 20);
        }
        Map<String, String> files = new java.util.TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(p).toString(), Files.readString(p, StandardCharsets.UTF_8));
            }
        }
        return files;
    }

    private int status(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static void await(Supplier<Boolean> condition, String what) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            if (condition.get()) {
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("timed out waiting for " + what);
    }
}
