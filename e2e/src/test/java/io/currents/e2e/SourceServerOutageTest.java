package io.currents.e2e;

import io.currents.oci.OciClient;
import io.currents.oci.OciReference;
import io.currents.testkit.TcpProxy;
import io.currents.testkit.registry.OciRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
        applyOciRepository("apps", proxy.port(), "apps", INTERVAL);
        flux.applyKustomization("oci", "OCIRepository", "apps", "./", INTERVAL.toSeconds() + "s");
        awaitValue("oci-config", "one", "OCIRepository", "apps");

        serverDownThenBack("OCI registry", new Source("source.toolkit.fluxcd.io/v1", "OCIRepository", "apps", "OCIArtifactPullFailed"),
                proxy, INTERVAL, "oci-config", () -> {
                    pushArtifact(pusher, ref, "two");
                    return "two";
                });
    }

    @Test
    @Order(2)
    void anS3ServerDownKeepsTheLastArtifactAndTheClusterThenRecoversWithinAnInterval() throws Exception {
        S3Server s3 = S3Server.start("manifests");
        servers.add(s3);
        s3.put("config.yaml", configMaps(i -> "bucket-config", 1, "one"));
        kube.resourceList(s3.bucketSource(ns, "manifests", INTERVAL)).serverSideApply();
        flux.applyKustomization("bucket", "Bucket", "manifests", "./", INTERVAL.toSeconds() + "s");
        awaitValue("bucket-config", "one", "Bucket", "manifests");

        serverDownThenBack("S3 server", new Source("source.toolkit.fluxcd.io/v1", "Bucket", "manifests", "BucketOperationFailed"),
                s3.proxy(), INTERVAL, "bucket-config", () -> {
                    s3.put("config.yaml", configMaps(i -> "bucket-config", 1, "two"));
                    return "two";
                });
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
        applyChartRelease(proxy.port(), INTERVAL);
        awaitValue("chart-config", "one", "HelmRelease", "demo");

        serverDownThenBack("Helm chart repository", new Source("source.toolkit.fluxcd.io/v1", "HelmRepository", "charts", "Failed"),
                proxy, INTERVAL, "chart-config", () -> charts.publish("1.1.0", "two"));
    }

    private void awaitValue(String configMap, String value, String kind, String name) {
        String apiVersion = kind.equals("HelmRelease") ? "helm.toolkit.fluxcd.io/v2" : "source.toolkit.fluxcd.io/v1";
        await(configMap + " holds " + value, CONVERGE, () -> value.equals(value(configMap)),
                () -> describe(flux.get(apiVersion, kind, name)));
    }
}
