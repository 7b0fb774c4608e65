package io.currents.e2e;

import io.currents.testkit.ControlPlane;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static io.currents.e2e.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * CI uploads manifests to an S3 bucket; the CLI creates the Bucket source (waiting until it is Ready) and a
 * Kustomization of it; the objects are applied, and a changed object reaches the cluster after {@code reconcile}.
 * Controllers run as processes against the local control plane, the bucket is s3proxy on loopback.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("cluster")
class BucketSourceTest {

    static final String NS = "bucket-story";
    static final String APP_NS = "bucket-e2e";
    static final String ACCESS_KEY = "e2e-access";
    static final String SECRET_KEY = "e2e-secret-key-0123456789";

    LocalCluster cluster;
    KubernetesClient kube;
    Cli cli;
    S3Proxy s3;
    BlobStore store;
    int port;

    @BeforeAll
    void start() throws Exception {
        cluster = LocalCluster.shared();
        kube = cluster.client();
        cli = new Cli(cluster.kubeconfig());
        // the controllers' leader election Leases live in currents-system, which bootstrap creates in the lifecycle story
        for (String ns : List.of(LocalCluster.NAMESPACE, NS)) {
            kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).serverSideApply();
        }
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "e2e")), "s3");
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", dir.toAbsolutePath().toString());
        store = ContextBuilder.newBuilder("filesystem").overrides(properties).build(BlobStoreContext.class).getBlobStore();
        port = ControlPlane.freePort();
        s3 = S3Proxy.builder().blobStore(store).endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
        s3.start();
        await("s3proxy started", Duration.ofSeconds(10), () -> "STARTED".equals(s3.getState()), s3::getState);
        store.createContainerInLocation(null, "manifests");
        put("deploy/namespace.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + APP_NS + "\n");
        put("deploy/config.yaml", configMap("blue"));
        put("README.md", "not applied: outside the path\n");
    }

    @AfterAll
    void stop() throws Exception {
        if (s3 != null) {
            s3.stop();
        }
    }

    @Test
    void aBucketCreatedWithTheCliIsAppliedByAKustomizationAndAChangedObjectFollows() {
        Cli.Result created = cli.run("create", "source", "bucket", "manifests", "--namespace", NS, "--bucket-name", "manifests",
                "--endpoint", "127.0.0.1:" + port, "--insecure", "--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY,
                "--interval", "1m");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        GenericKubernetesResource bucket = bucket();
        assertThat(condition(bucket, "Ready")).as("create waited for Ready").isEqualTo("True");
        String revision = artifactRevision(bucket);
        assertThat(revision).startsWith("sha256:");
        assertThat(created.out() + created.err()).contains(revision);

        Cli.Result listed = cli.run("get", "sources", "bucket", "--namespace", NS);
        assertThat(listed.exitCode()).as(listed.toString()).isZero();
        assertThat(listed.out()).contains("manifests").contains(revision);

        Cli.Result kustomization = cli.run("create", "kustomization", "bucket-app", "--namespace", NS, "--source", "Bucket/manifests",
                "--path", "./deploy", "--prune", "--interval", "1m");
        assertThat(kustomization.exitCode()).as(kustomization.toString()).isZero();
        await("the bucket's ConfigMap is applied", Duration.ofSeconds(60), () -> "blue".equals(color()), this::color);

        put("deploy/config.yaml", configMap("green"));
        Cli.Result reconciled = cli.run("reconcile", "source", "bucket", "manifests", "--namespace", NS);
        assertThat(reconciled.exitCode()).as(reconciled.toString()).isZero();
        assertThat(artifactRevision(bucket())).isNotEqualTo(revision);
        await("the changed object is applied", Duration.ofSeconds(60), () -> "green".equals(color()), this::color);
    }

    private void put(String key, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        store.putBlob("manifests", store.blobBuilder(key).payload(bytes).contentLength(bytes.length).build());
    }

    private static String configMap(String color) {
        return """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: palette
                  namespace: %s
                data:
                  color: %s
                """.formatted(APP_NS, color);
    }

    private String color() {
        ConfigMap cm = kube.configMaps().inNamespace(APP_NS).withName("palette").get();
        return cm == null ? null : cm.getData().get("color");
    }

    private GenericKubernetesResource bucket() {
        return kube.genericKubernetesResources("source.toolkit.fluxcd.io/v1", "Bucket").inNamespace(NS).withName("manifests").get();
    }

    @SuppressWarnings("unchecked")
    private static String condition(GenericKubernetesResource r, String type) {
        Map<String, Object> status = (Map<String, Object>) r.getAdditionalProperties().get("status");
        if (status == null || status.get("conditions") == null) {
            return "";
        }
        for (Map<String, Object> c : (java.util.List<Map<String, Object>>) status.get("conditions")) {
            if (type.equals(c.get("type"))) {
                return (String) c.get("status");
            }
        }
        return "";
    }

    @SuppressWarnings("unchecked")
    private static String artifactRevision(GenericKubernetesResource r) {
        Map<String, Object> status = (Map<String, Object>) r.getAdditionalProperties().get("status");
        Map<String, Object> artifact = status == null ? null : (Map<String, Object>) status.get("artifact");
        return artifact == null ? null : (String) artifact.get("revision");
    }
}
