package io.currents.e2e;

import io.currents.oci.FluxArtifacts;
import io.currents.oci.OciClient;
import io.currents.oci.OciReference;
import io.currents.testkit.ControlPlane;
import io.currents.testkit.TcpProxy;
import io.currents.testkit.artifact.Tarball;
import io.currents.testkit.registry.OciRegistry;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static io.currents.e2e.Eventually.await;
import static io.currents.e2e.FluxObjects.describe;

/**
 * The other source servers go down for a while and come back, each through {@link #serverDownThenBack}, the scenario
 * the Git server's outage runs too: an OCI registry (OCIRepository applied by a Kustomization), an S3 server (Bucket
 * applied by a Kustomization) and a Helm chart repository (HelmRepository whose chart a HelmRelease installs).
 */
@Tag("faults")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Order(3)
class SourceServerOutageTest extends FaultScenario {

    static final Duration INTERVAL = Duration.ofSeconds(10);

    private final List<AutoCloseable> servers = new ArrayList<>();

    @Override
    String scenario() {
        return "source-outage";
    }

    @AfterAll
    void close() throws Exception {
        for (AutoCloseable server : servers.reversed()) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void anOciRegistryDownKeepsTheLastArtifactAndTheClusterThenRecoversWithinAnInterval() throws Exception {
        OciRegistry registry = OciRegistry.start();
        servers.add(registry);
        TcpProxy proxy = TcpProxy.start(URI.create("http://" + registry.host()).getPort());
        servers.add(proxy);
        OciClient pusher = OciClient.builder().plainHttp(true).build();
        OciReference ref = OciReference.parse("oci://" + registry.host() + "/apps").withTag("latest");
        pushArtifact(pusher, ref, "one");
        kube.resource("""
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: OCIRepository
                metadata:
                  name: apps
                  namespace: %1$s
                spec:
                  interval: %2$ds
                  timeout: 5s
                  insecure: true
                  url: oci://127.0.0.1:%3$d/apps
                  ref:
                    tag: latest
                """.formatted(ns, INTERVAL.toSeconds(), proxy.port())).serverSideApply();
        applyKustomization("oci", "OCIRepository", "apps");
        awaitValue("oci-config", "one", "OCIRepository", "apps");

        serverDownThenBack("OCI registry", new Source("source.toolkit.fluxcd.io/v1", "OCIRepository", "apps", "OCIArtifactPullFailed"),
                proxy, INTERVAL, "oci-config", () -> pushArtifact(pusher, ref, "two"));
    }

    @Test
    @Order(2)
    void anS3ServerDownKeepsTheLastArtifactAndTheClusterThenRecoversWithinAnInterval() throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "faults")), "s3");
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", dir.toAbsolutePath().toString());
        BlobStoreContext context = ContextBuilder.newBuilder("filesystem").overrides(properties).build(BlobStoreContext.class);
        servers.add(context);
        BlobStore store = context.getBlobStore();
        int port = ControlPlane.freePort();
        S3Proxy s3 = S3Proxy.builder().blobStore(store).endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "fault-access", "fault-secret-key-0123456789").build();
        s3.start();
        servers.add(s3::stop);
        await("s3proxy started", Duration.ofSeconds(10), () -> "STARTED".equals(s3.getState()), s3::getState);
        TcpProxy proxy = TcpProxy.start(port);
        servers.add(proxy);
        store.createContainerInLocation(null, "manifests");
        putObject(store, "one");
        kube.resourceList("""
                apiVersion: v1
                kind: Secret
                metadata:
                  name: s3-keys
                  namespace: %1$s
                stringData:
                  accesskey: fault-access
                  secretkey: fault-secret-key-0123456789
                ---
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: Bucket
                metadata:
                  name: manifests
                  namespace: %1$s
                spec:
                  interval: %2$ds
                  timeout: 5s
                  provider: generic
                  bucketName: manifests
                  endpoint: 127.0.0.1:%3$d
                  insecure: true
                  secretRef:
                    name: s3-keys
                """.formatted(ns, INTERVAL.toSeconds(), proxy.port())).serverSideApply();
        applyKustomization("bucket", "Bucket", "manifests");
        awaitValue("bucket-config", "one", "Bucket", "manifests");

        serverDownThenBack("S3 server", new Source("source.toolkit.fluxcd.io/v1", "Bucket", "manifests", "BucketOperationFailed"),
                proxy, INTERVAL, "bucket-config", () -> putObject(store, "two"));
    }

    /** Flux reports an index it cannot fetch with the generic reason {@code Failed} ({@code IndexationFailed} is for one it cannot read). */
    @Test
    @Order(3)
    void aHelmChartRepositoryDownKeepsTheLastArtifactAndTheReleaseThenRecoversWithinAnInterval() throws Exception {
        ChartRepository charts = new ChartRepository();
        servers.add(charts);
        TcpProxy proxy = TcpProxy.start(charts.port());
        servers.add(proxy);
        charts.publish("1.0.0", "one");
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
                """.formatted(ns, INTERVAL.toSeconds(), proxy.port())).serverSideApply();
        awaitValue("chart-config", "one", "HelmRelease", "demo");

        serverDownThenBack("Helm chart repository", new Source("source.toolkit.fluxcd.io/v1", "HelmRepository", "charts", "Failed"),
                proxy, INTERVAL, "chart-config", () -> charts.publish("1.1.0", "two"));
    }

    private void applyKustomization(String name, String kind, String source) {
        kube.resource("""
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata:
                  name: %1$s
                  namespace: %2$s
                spec:
                  interval: %3$ds
                  retryInterval: 5s
                  sourceRef:
                    kind: %4$s
                    name: %5$s
                  path: ./
                  prune: true
                """.formatted(name, ns, INTERVAL.toSeconds(), kind, source)).serverSideApply();
    }

    private void awaitValue(String configMap, String value, String kind, String name) {
        String apiVersion = kind.equals("HelmRelease") ? "helm.toolkit.fluxcd.io/v2" : "source.toolkit.fluxcd.io/v1";
        await(configMap + " holds " + value, CONVERGE, () -> value.equals(value(configMap)),
                () -> describe(flux.get(apiVersion, kind, name)));
    }

    /** Pushes a Flux artifact holding the ConfigMap {@code oci-config} with this value; returns the value. */
    private String pushArtifact(OciClient pusher, OciReference ref, String value) {
        try {
            Path tarGz = Files.createTempFile(Files.createDirectories(Path.of("target", "faults")), "oci", ".tar.gz");
            Files.write(tarGz, Tarball.of(Map.of("config.yaml", configMaps(i -> "oci-config", 1, value))));
            FluxArtifacts.push(pusher, ref, tarGz, "faults", value, Map.of(), Instant.now());
            return value;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the object {@code config.yaml}, the ConfigMap {@code bucket-config} with this value; returns the value. */
    private String putObject(BlobStore store, String value) {
        byte[] bytes = configMaps(i -> "bucket-config", 1, value).getBytes(StandardCharsets.UTF_8);
        store.putBlob("manifests", store.blobBuilder("config.yaml").payload(bytes).contentLength(bytes.length).build());
        return value;
    }
}
