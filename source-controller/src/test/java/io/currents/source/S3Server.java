package io.currents.source;

import io.currents.testkit.ControlPlane;
import io.currents.testkit.registry.TestCertificates;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.Blob;
import org.jclouds.blobstore.options.GetOptions;
import org.jclouds.blobstore.util.ForwardingBlobStore;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import java.net.URI;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real S3 server on loopback for Bucket tests: s3proxy over jclouds' filesystem store (or its in-memory store, which
 * takes any key), with AWS v2/v4 authentication, optionally TLS, counting the object GETs it serves by key.
 */
final class S3Server implements AutoCloseable {

    static final String ACCESS_KEY = "currents-test-access";
    static final String SECRET_KEY = "currents-test-secret-0123456789";

    private final BlobStore store;
    private final Map<String, AtomicInteger> gets = new ConcurrentHashMap<>();
    private final int port;
    private final TestCertificates.Pair tls;
    private final String clientCaPem;
    private S3Proxy proxy;

    private S3Server(BlobStore store, int port, TestCertificates.Pair tls, String clientCaPem) {
        this.store = new CountingBlobStore(store, gets);
        this.port = port;
        this.tls = tls;
        this.clientCaPem = clientCaPem;
    }

    /** A server over a filesystem store in a new temporary directory. */
    static S3Server filesystem(boolean tls) throws Exception {
        Path dir = Files.createTempDirectory("s3proxy-");
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", dir.toString());
        BlobStore store = ContextBuilder.newBuilder("filesystem").overrides(properties).build(BlobStoreContext.class).getBlobStore();
        return start(store, tls);
    }

    /** A TLS server over a filesystem store that requires a client certificate signed by the CA of {@code certificates}. */
    static S3Server mutualTls(TestCertificates.Mutual certificates) throws Exception {
        Path dir = Files.createTempDirectory("s3proxy-");
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", dir.toString());
        BlobStore store = ContextBuilder.newBuilder("filesystem").overrides(properties).build(BlobStoreContext.class).getBlobStore();
        S3Server server = new S3Server(store, ControlPlane.freePort(), certificates.server(), certificates.server().caCertificatePem());
        server.startProxy();
        return server;
    }

    /** A server over jclouds' in-memory store, which accepts keys a filesystem cannot hold ({@code ../x}). */
    static S3Server inMemory() throws Exception {
        return start(ContextBuilder.newBuilder("transient").build(BlobStoreContext.class).getBlobStore(), false);
    }

    private static S3Server start(BlobStore store, boolean tls) throws Exception {
        S3Server server = new S3Server(store, ControlPlane.freePort(), tls ? TestCertificates.caAndServer("127.0.0.1") : null, null);
        server.startProxy();
        return server;
    }

    private void startProxy() throws Exception {
        S3Proxy.Builder builder = S3Proxy.builder().blobStore(store)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY);
        if (tls != null) {
            SSLContext serving = TestCertificates.serving(tls, clientCaPem);
            builder.secureEndpoint(URI.create("https://127.0.0.1:" + port))
                    .sslContext(clientCaPem == null ? serving : requiringClientCertificates(serving));
        } else {
            builder.endpoint(URI.create("http://127.0.0.1:" + port));
        }
        proxy = builder.build();
        proxy.start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (!"STARTED".equals(proxy.getState()) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
    }

    /** {@code delegate} with every server engine requiring a client certificate (s3proxy has no switch for it). */
    private static SSLContext requiringClientCertificates(SSLContext delegate) {
        SSLContextSpi spi = new SSLContextSpi() {
            @Override
            protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) {
            }

            @Override
            protected SSLSocketFactory engineGetSocketFactory() {
                return delegate.getSocketFactory();
            }

            @Override
            protected SSLServerSocketFactory engineGetServerSocketFactory() {
                return delegate.getServerSocketFactory();
            }

            @Override
            protected SSLEngine engineCreateSSLEngine() {
                SSLEngine engine = delegate.createSSLEngine();
                engine.setNeedClientAuth(true);
                return engine;
            }

            @Override
            protected SSLEngine engineCreateSSLEngine(String host, int port) {
                SSLEngine engine = delegate.createSSLEngine(host, port);
                engine.setNeedClientAuth(true);
                return engine;
            }

            @Override
            protected SSLSessionContext engineGetServerSessionContext() {
                return delegate.getServerSessionContext();
            }

            @Override
            protected SSLSessionContext engineGetClientSessionContext() {
                return delegate.getClientSessionContext();
            }

            @Override
            protected SSLParameters engineGetDefaultSSLParameters() {
                SSLParameters parameters = delegate.getDefaultSSLParameters();
                parameters.setNeedClientAuth(true);
                return parameters;
            }

            @Override
            protected SSLParameters engineGetSupportedSSLParameters() {
                return delegate.getSupportedSSLParameters();
            }
        };
        return new SSLContext(spi, delegate.getProvider(), delegate.getProtocol()) { };
    }

    /** {@code 127.0.0.1:<port>}, as a Bucket's spec.endpoint names it. */
    String endpoint() {
        return "127.0.0.1:" + port;
    }

    boolean tls() {
        return tls != null;
    }

    String caPem() {
        return tls.caCertificatePem();
    }

    void createBucket(String name) {
        store.createContainerInLocation(null, name);
    }

    void put(String bucket, String key, String content) {
        Blob blob = store.blobBuilder(key).payload(content.getBytes(StandardCharsets.UTF_8)).contentLength(content.length()).build();
        store.putBlob(bucket, blob);
    }

    void put(String bucket, Map<String, String> objects) {
        objects.forEach((k, v) -> put(bucket, k, v));
    }

    void delete(String bucket, String key) {
        store.removeBlob(bucket, key);
    }

    /** GETs of object content served for {@code key} so far. */
    int gets(String key) {
        AtomicInteger n = gets.get(key);
        return n == null ? 0 : n.get();
    }

    /** GETs of object content served for all keys but {@code .sourceignore}. */
    int objectGets() {
        return gets.entrySet().stream().filter(e -> !e.getKey().equals(".sourceignore")).mapToInt(e -> e.getValue().get()).sum();
    }

    void stop() throws Exception {
        proxy.stop();
    }

    /** Starts again on the same port, with the same objects. */
    void restart() throws Exception {
        startProxy();
    }

    @Override
    public void close() throws Exception {
        if (proxy != null && !"STOPPED".equals(proxy.getState())) {
            proxy.stop();
        }
    }

    /** Counts content reads; everything else goes to the real store. */
    private static final class CountingBlobStore extends ForwardingBlobStore {
        private final Map<String, AtomicInteger> gets;

        CountingBlobStore(BlobStore delegate, Map<String, AtomicInteger> gets) {
            super(delegate);
            this.gets = gets;
        }

        @Override
        public Blob getBlob(String container, String name) {
            gets.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
            return super.getBlob(container, name);
        }

        @Override
        public Blob getBlob(String container, String name, GetOptions options) {
            gets.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
            return super.getBlob(container, name, options);
        }
    }
}
