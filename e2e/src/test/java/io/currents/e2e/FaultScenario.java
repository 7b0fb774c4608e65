package io.currents.e2e;

import io.currents.oci.FluxArtifacts;
import io.currents.oci.OciClient;
import io.currents.oci.OciReference;
import io.currents.testkit.TcpProxy;
import io.currents.testkit.artifact.Tarball;
import io.currents.testkit.git.TestRepo;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.currents.e2e.Eventually.await;
import static io.currents.e2e.FluxObjects.condition;
import static io.currents.e2e.FluxObjects.describe;
import static io.currents.e2e.FluxObjects.notReadyReason;
import static io.currents.e2e.FluxObjects.ready;
import static io.currents.e2e.FluxObjects.string;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every fault scenario starts from: the shared {@link FaultCluster}, a namespace and a Git repository of the
 * scenario's name (closed after the class), and the ConfigMaps its Kustomizations apply, each holding a {@code value}.
 * Subclasses run with {@code TestInstance.Lifecycle.PER_CLASS}; their own {@code @BeforeAll} runs after this one's.
 */
abstract class FaultScenario {

    static final Duration CONVERGE = Duration.ofMinutes(3);

    FaultCluster cluster;
    KubernetesClient kube;
    FluxObjects flux;
    TestRepo repo;
    String ns;

    /** The prefix of the scenario's namespace and the name of its repository. */
    abstract String scenario();

    @BeforeAll
    final void openScenario() {
        cluster = FaultCluster.shared();
        kube = cluster.client();
        ns = cluster.namespace(scenario());
        flux = new FluxObjects(kube, ns);
        repo = cluster.repo(scenario());
    }

    @AfterAll
    final void closeScenario() {
        repo.close();
    }

    /** Waits until the Kustomization {@code app} has applied this commit and is Ready. */
    void awaitApplied(String commit) {
        await("the Kustomization applies " + commit, CONVERGE,
                () -> ("main@sha1:" + commit).equals(string(flux.kustomization("app"), "status", "lastAppliedRevision"))
                        && ready(flux.kustomization("app")),
                () -> describe(flux.kustomization("app")) + " / " + describe(flux.gitRepository("app")));
    }

    /** The {@code value} of the ConfigMap {@code config}, null while it does not exist. */
    String value() {
        return value("config");
    }

    /** The {@code value} of a ConfigMap of the namespace, null while it does not exist. */
    String value(String name) {
        ConfigMap cm = kube.configMaps().inNamespace(ns).withName(name).get();
        return cm == null || cm.getData() == null ? null : cm.getData().get("value");
    }

    /** The {@code value} of every ConfigMap whose name starts with {@code prefix}, by name. */
    Map<String, String> values(String prefix) {
        return kube.configMaps().inNamespace(ns).list().getItems().stream()
                .filter(c -> c.getMetadata().getName().startsWith(prefix))
                .collect(Collectors.toMap(c -> c.getMetadata().getName(), c -> c.getData().get("value")));
    }

    /** The ConfigMap {@code config} holding this value, as YAML. */
    String configMap(String value) {
        return configMaps(i -> "config", 1, value);
    }

    /** {@code count} ConfigMaps named by {@code names}, each holding this value, as one YAML stream. */
    String configMaps(IntFunction<String> names, int count, String value) {
        return IntStream.range(0, count).mapToObj(i -> """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: %s
                  namespace: %s
                data:
                  value: %s
                """.formatted(names.apply(i), ns, value)).collect(Collectors.joining("---\n"));
    }

    /** {@code url} (http://host:port/...) reached through {@code proxy}: the same address on the proxy's port. */
    static String through(String url, TcpProxy proxy) {
        return url.replace(":" + URI.create(url).getPort() + "/", ":" + proxy.port() + "/");
    }

    /** Sets or clears {@code spec.suspend} of a Flux object of the namespace. */
    @SuppressWarnings("unchecked")
    void suspend(String apiVersion, String kind, String name, boolean suspend) {
        kube.genericKubernetesResources(apiVersion, kind).inNamespace(ns).withName(name).edit(o -> {
            ((Map<String, Object>) o.getAdditionalProperties().get("spec")).put("suspend", suspend);
            return o;
        });
    }

    /**
     * A generic Provider {@code team} posting to {@code address} and an Alert {@code team} of the info events of these
     * sources, each {@code "Kind/name"}.
     */
    void applyAlert(String address, String... sources) {
        kube.resourceList("""
                apiVersion: notification.toolkit.fluxcd.io/v1beta3
                kind: Provider
                metadata:
                  name: team
                  namespace: %1$s
                spec:
                  type: generic
                  address: %2$s
                ---
                apiVersion: notification.toolkit.fluxcd.io/v1beta3
                kind: Alert
                metadata:
                  name: team
                  namespace: %1$s
                spec:
                  providerRef:
                    name: team
                  eventSeverity: info
                  eventSources:
                %3$s
                """.formatted(ns, address, Arrays.stream(sources)
                .map(s -> "    - kind: " + s.substring(0, s.indexOf('/')) + "\n      name: " + s.substring(s.indexOf('/') + 1))
                .collect(Collectors.joining("\n")))).serverSideApply();
    }

    /** The HelmRepository {@code charts} of the chart repository on this port and the HelmRelease {@code demo} of its chart. */
    void applyChartRelease(int port, Duration interval) {
        kube.resourceList("""
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: HelmRepository
                metadata:
                  name: charts
                  namespace: %1$s
                spec:
                  interval: %2$ds
                  timeout: 5s
                  url: http://127.0.0.1:%3$d/
                ---
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata:
                  name: demo
                  namespace: %1$s
                spec:
                  interval: %2$ds
                  chart:
                    spec:
                      chart: demo
                      version: ">=1.0.0"
                      interval: %2$ds
                      sourceRef:
                        kind: HelmRepository
                        name: charts
                """.formatted(ns, interval.toSeconds(), port)).serverSideApply();
    }

    /**
     * The ImageRepository, ImagePolicy ({@code >=1.0.0}) and ImageUpdateAutomation {@code app}: the automation updates
     * {@code ./deploy} of {@code branch} of the GitRepository {@code gitRepository} and pushes to the same branch.
     */
    void applyImageAutomation(String gitRepository, String branch, String image, String scanInterval, String automationInterval) {
        kube.resourceList("""
                apiVersion: image.toolkit.fluxcd.io/v1
                kind: ImageRepository
                metadata:
                  name: app
                  namespace: %1$s
                spec:
                  image: %4$s
                  interval: %5$s
                  timeout: 5s
                  insecure: true
                ---
                apiVersion: image.toolkit.fluxcd.io/v1
                kind: ImagePolicy
                metadata:
                  name: app
                  namespace: %1$s
                spec:
                  imageRepositoryRef:
                    name: app
                  policy:
                    semver:
                      range: ">=1.0.0"
                ---
                apiVersion: image.toolkit.fluxcd.io/v1
                kind: ImageUpdateAutomation
                metadata:
                  name: app
                  namespace: %1$s
                spec:
                  interval: %6$s
                  sourceRef:
                    kind: GitRepository
                    name: %2$s
                  git:
                    checkout:
                      ref:
                        branch: %3$s
                    commit:
                      author:
                        name: Image Bot
                        email: bot@example.com
                      messageTemplate: "update the app's image"
                    push:
                      branch: %3$s
                  update:
                    path: ./deploy
                    strategy: Setters
                """.formatted(ns, gitRepository, branch, image, scanInterval, automationInterval)).serverSideApply();
    }

    /** A source (its API version, kind and name) whose server a test takes down: the reason it must report meanwhile. */
    record Source(String apiVersion, String kind, String name, String downReason) {
    }

    /**
     * The outage every source server must survive. The server goes down ({@code proxy} refuses connections), then
     * {@code change} publishes something new on the server itself (not through the proxy) and returns the value the
     * ConfigMap {@code configMap} must take from it. While the server is down: the source is Ready=False with
     * {@code source.downReason()}, keeps announcing its last artifact, which is still served whole (digest checked as a
     * consumer does), and the cluster keeps its value. After the server returns: the change is applied within one
     * {@code interval} (plus the jitter and this machine's time to fetch and apply). Returns the time to recover.
     */
    Duration serverDownThenBack(String server, Source source, TcpProxy proxy, Duration interval, String configMap, Supplier<String> change)
            throws Exception {
        Supplier<GenericKubernetesResource> object = () -> flux.get(source.apiVersion(), source.kind(), source.name());
        String served = string(object.get(), "status", "artifact", "revision");
        String before = value(configMap);
        proxy.cut();
        try {
            String expected = change.get();
            flux.requestReconcile(source.apiVersion(), source.kind(), source.name());
            await(source.kind() + " " + source.name() + " says its server cannot be reached", CONVERGE,
                    () -> source.downReason().equals(notReadyReason(object.get())), () -> describe(object.get()));
            assertThat(string(object.get(), "status", "artifact", "revision")).as("the last artifact stays").isEqualTo(served);
            assertServedWhole(object.get());
            assertThat(value(configMap)).as("the cluster is left as it was").isEqualTo(before);

            proxy.restore();
            long back = System.nanoTime();
            await("what was published during the outage is applied", CONVERGE,
                    () -> expected.equals(value(configMap)) && ready(object.get()),
                    () -> describe(object.get()) + ", value " + value(configMap));
            Duration recovered = Duration.ofNanos(System.nanoTime() - back);
            System.out.printf("[faults] %s down: Ready=False %s meanwhile; recovered %d ms after it came back (interval %ds)%n",
                    server, source.downReason(), recovered.toMillis(), interval.toSeconds());
            assertThat(recovered).as("recovery within one interval of the server's return").isLessThan(interval.multipliedBy(2));
            return recovered;
        } finally {
            proxy.restore();
        }
    }

    /**
     * Pushes to {@code ref} a Flux artifact holding the ConfigMap {@code oci-config} with this value, as
     * {@code currents push artifact} does; returns the manifest's digest.
     */
    String pushArtifact(OciClient pusher, OciReference ref, String value) {
        try {
            Path tarGz = Files.createTempFile(Files.createDirectories(Path.of("target", "faults")), "oci", ".tar.gz");
            Files.write(tarGz, Tarball.of(Map.of("config.yaml", configMaps(i -> "oci-config", 1, value))));
            return FluxArtifacts.push(pusher, ref, tarGz, "faults", value, Map.of(), Instant.now());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The OCIRepository {@code name} of the tag {@code latest} of {@code repository} on the registry at this (loopback) port. */
    void applyOciRepository(String name, int port, String repository, Duration interval) {
        kube.resource("""
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: OCIRepository
                metadata:
                  name: %1$s
                  namespace: %2$s
                spec:
                  interval: %3$ds
                  timeout: 5s
                  insecure: true
                  url: oci://127.0.0.1:%4$d/%5$s
                  ref:
                    tag: latest
                """.formatted(name, ns, interval.toSeconds(), port, repository)).serverSideApply();
    }

    /** Whether the source is Ready=False with a message that names the full file system of its storage. */
    static boolean saysNoSpaceLeft(GenericKubernetesResource source) {
        return notReadyReason(source) != null
                && String.valueOf(condition(source, "Ready").get("message")).toLowerCase(java.util.Locale.ROOT).contains("no space left");
    }

    /** The messages of the commits on {@code branch} of the scenario's repository after {@code base}, newest first. */
    List<String> commitsSince(String branch, String base) {
        try (Repository git = new FileRepositoryBuilder().setGitDir(repo.path().toFile()).setBare().build(); RevWalk walk = new RevWalk(git)) {
            walk.markStart(walk.parseCommit(git.resolve("refs/heads/" + branch)));
            walk.markUninteresting(walk.parseCommit(ObjectId.fromString(base)));
            List<String> messages = new ArrayList<>();
            for (RevCommit c : walk) {
                messages.add(c.getFullMessage().strip());
            }
            return messages;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fetches the artifact a source announces, as kustomize-controller does, and checks it against the announced digest. */
    static void assertServedWhole(GenericKubernetesResource source) throws Exception {
        String url = string(source, "status", "artifact", "url");
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<byte[]> artifact = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(artifact.statusCode()).as("GET " + url).isEqualTo(200);
            assertThat("sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(artifact.body())))
                    .as("the digest of the artifact served at " + url).isEqualTo(string(source, "status", "artifact", "digest"));
        }
    }
}
