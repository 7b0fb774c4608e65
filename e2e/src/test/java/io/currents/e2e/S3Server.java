package io.currents.e2e;

import io.currents.testkit.ControlPlane;
import io.currents.testkit.TcpProxy;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import static io.currents.e2e.Eventually.await;

/**
 * An S3 server for the fault scenarios: s3proxy on a file system blob store under {@code target/faults}, with one
 * bucket, reached by source-controller through a {@link TcpProxy} that a scenario cuts to take the server down.
 * Objects are written to the store itself, not through the proxy, so a scenario can publish during the outage.
 */
final class S3Server implements AutoCloseable {

    static final String ACCESS_KEY = "fault-access";
    static final String SECRET_KEY = "fault-secret-key-0123456789";

    private final BlobStoreContext context;
    private final S3Proxy s3;
    private final TcpProxy proxy;
    private final String bucket;

    private S3Server(BlobStoreContext context, S3Proxy s3, TcpProxy proxy, String bucket) {
        this.context = context;
        this.s3 = s3;
        this.proxy = proxy;
        this.bucket = bucket;
    }

    /** Starts the server with the (empty) bucket {@code bucket}. */
    static S3Server start(String bucket) throws Exception {
        Path dir;
        try {
            dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "faults")), "s3");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", dir.toAbsolutePath().toString());
        BlobStoreContext context = ContextBuilder.newBuilder("filesystem").overrides(properties).build(BlobStoreContext.class);
        int port = ControlPlane.freePort();
        S3Proxy s3 = S3Proxy.builder().blobStore(context.getBlobStore()).endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
        s3.start();
        await("s3proxy started", Duration.ofSeconds(10), () -> "STARTED".equals(s3.getState()), s3::getState);
        context.getBlobStore().createContainerInLocation(null, bucket);
        return new S3Server(context, s3, TcpProxy.start(port), bucket);
    }

    /** Writes the object {@code key} with this text. */
    void put(String key, String text) {
        BlobStore store = context.getBlobStore();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        store.putBlob(bucket, store.blobBuilder(key).payload(bytes).contentLength(bytes.length).build());
    }

    /** The proxy in front of the server: cut it to take the server down. */
    TcpProxy proxy() {
        return proxy;
    }

    /** The Secret {@code s3-keys} with the server's keys and a Bucket of the bucket through the proxy, as YAML. */
    String bucketSource(String ns, String name, Duration interval) {
        return """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: s3-keys
                  namespace: %1$s
                stringData:
                  accesskey: %5$s
                  secretkey: %6$s
                ---
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: Bucket
                metadata:
                  name: %2$s
                  namespace: %1$s
                spec:
                  interval: %3$ds
                  timeout: 5s
                  provider: generic
                  bucketName: %7$s
                  endpoint: 127.0.0.1:%4$d
                  insecure: true
                  secretRef:
                    name: s3-keys
                """.formatted(ns, name, interval.toSeconds(), proxy.port(), ACCESS_KEY, SECRET_KEY, bucket);
    }

    @Override
    public void close() throws Exception {
        proxy.close();
        s3.stop();
        context.close();
    }
}
