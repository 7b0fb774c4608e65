package io.currents.testkit.registry;

import io.currents.testkit.ControlPlane;
import io.currents.testkit.image.ImageLayer;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real OCI distribution registry for tests: Debian's {@code docker-registry} on 127.0.0.1 and a
 * free port, with filesystem storage in a temporary directory and, optionally, htpasswd basic
 * authentication. Images are pushed through the registry's HTTP API (blob uploads and a manifest
 * PUT), as any client would. Stopped and deleted on {@link #close()}.
 */
public final class OciRegistry implements AutoCloseable {

    private static final String BINARY = "/usr/bin/docker-registry";
    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

    private final Path workDir;
    private final int port;
    private Process process;
    private final String authorization;
    private TokenService tokens;
    private String caPem;
    private String scheme = "http";
    private HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private OciRegistry(Path workDir, int port, Process process, String authorization) {
        this.workDir = workDir;
        this.port = port;
        this.process = process;
        this.authorization = authorization;
    }

    /** Starts a registry that anyone may read and write. */
    public static OciRegistry start() {
        return start(null, null);
    }

    /** Starts a registry that requires HTTP basic authentication with this user and password (null: none). */
    public static OciRegistry start(String username, String password) {
        return start(username, password, false);
    }

    /**
     * Starts a registry that requires Bearer tokens (the distribution registry's token authentication),
     * issued by a token service on another free port to this user and password only.
     */
    public static OciRegistry startWithTokenAuth(String username, String password) {
        return start(username, password, true);
    }

    /**
     * Starts an anonymous registry that speaks HTTPS only, with a server certificate for 127.0.0.1
     * signed by a fresh CA ({@link #caPem()}).
     */
    public static OciRegistry startTls() {
        return start(null, null, false, true);
    }

    private static OciRegistry start(String username, String password, boolean tokenAuth) {
        return start(username, password, tokenAuth, false);
    }

    private static OciRegistry start(String username, String password, boolean tokenAuth, boolean tls) {
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new IllegalStateException(BINARY + " is missing: install Debian's docker-registry package (hack/install-test-deps.sh)");
        }
        try {
            Path workDir = Files.createTempDirectory("oci-registry");
            int port = ControlPlane.freePort();
            StringBuilder config = new StringBuilder()
                    .append("version: 0.1\n")
                    .append("log:\n  level: warn\n  accesslog:\n    disabled: false\n")
                    .append("storage:\n  filesystem:\n    rootdirectory: ").append(workDir.resolve("data")).append('\n')
                    .append("  delete:\n    enabled: true\n")
                    .append("http:\n  addr: 127.0.0.1:").append(port).append('\n');
            String authorization = null;
            String caPem = null;
            if (tls) {
                TestCertificates.Pair pair = TestCertificates.caAndServer("127.0.0.1");
                Files.writeString(workDir.resolve("server.crt"), pair.serverCertificatePem(), StandardCharsets.US_ASCII);
                Files.writeString(workDir.resolve("server.key"), pair.serverKeyPem(), StandardCharsets.US_ASCII);
                config.append("  tls:\n    certificate: ").append(workDir.resolve("server.crt")).append('\n')
                        .append("    key: ").append(workDir.resolve("server.key")).append('\n');
                caPem = pair.caCertificatePem();
            }
            TokenService tokens = null;
            if (tokenAuth) {
                tokens = TokenService.start(workDir, username, password);
                config.append("auth:\n  token:\n    realm: ").append(tokens.realm()).append('\n')
                        .append("    service: ").append(TokenService.SERVICE).append('\n')
                        .append("    issuer: ").append(TokenService.ISSUER).append('\n')
                        .append("    rootcertbundle: ").append(tokens.certificate()).append('\n');
            } else if (username != null) {
                String hash = OpenBSDBCrypt.generate("2y", password.toCharArray(), salt(), 5);
                Files.writeString(workDir.resolve("htpasswd"), username + ":" + hash + "\n", StandardCharsets.UTF_8);
                config.append("auth:\n  htpasswd:\n    realm: test-registry\n    path: ")
                        .append(workDir.resolve("htpasswd")).append('\n');
                authorization = "Basic " + Base64.getEncoder().encodeToString(
                        (username + ":" + password).getBytes(StandardCharsets.UTF_8));
            }
            Path configFile = workDir.resolve("config.yml");
            Files.writeString(configFile, config.toString(), StandardCharsets.UTF_8);
            Process process = new ProcessBuilder(BINARY, "serve", configFile.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("registry.log").toFile())
                    .start();
            OciRegistry registry = new OciRegistry(workDir, port, process, authorization);
            registry.tokens = tokens;
            registry.caPem = caPem;
            registry.scheme = tls ? "https" : "http";
            if (tls) {
                registry.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                        .sslContext(TestCertificates.trusting(caPem)).build();
            }
            registry.awaitUp();
            return registry;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The PEM certificate of the CA that signed the server certificate of a {@link #startTls()} registry. */
    public String caPem() {
        return caPem;
    }

    /** {@code 127.0.0.1:<port>}, the registry part of an image name. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    /** The image name of a repository in this registry, e.g. {@code 127.0.0.1:5123/team/app}. */
    public String image(String repository) {
        return host() + "/" + repository;
    }

    /**
     * Pushes a small image (a config and one random layer) to {@code repository} under each tag
     * and returns the manifest digest ({@code sha256:…}); every call makes a distinct image.
     */
    public String push(String repository, String... tags) {
        byte[] layer = new byte[64];
        new SecureRandom().nextBytes(layer);
        byte[] imageConfig = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + digest(layer) + "\"]}}").getBytes(StandardCharsets.UTF_8);
        uploadBlob(repository, imageConfig);
        uploadBlob(repository, layer);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + digest(imageConfig)
                + "\",\"size\":" + imageConfig.length + "},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + digest(layer)
                + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
        for (String tag : tags) {
            HttpResponse<String> response = send(request("/v2/" + repository + "/manifests/" + tag, repository)
                    .header("Content-Type", OCI_MANIFEST)
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)));
            expect(response, 201, "manifest PUT " + repository + ":" + tag);
        }
        return digest(manifest);
    }

    /**
     * Pushes an image whose layers are files on disk under
     * {@code tag}, as an OCI manifest; returns the manifest digest.
     */
    public String pushImage(String repository, String tag, byte[] imageConfig, List<ImageLayer> layers) {
        uploadBlob(repository, imageConfig);
        StringBuilder layerDescriptors = new StringBuilder();
        for (ImageLayer layer : layers) {
            if (!hasBlob(repository, layer.digest())) {
                try {
                    uploadBlob(repository, layer.digest(), HttpRequest.BodyPublishers.ofFile(layer.file()));
                } catch (java.io.FileNotFoundException e) {
                    throw new UncheckedIOException(e);
                }
            }
            layerDescriptors.append(layerDescriptors.isEmpty() ? "" : ",")
                    .append("{\"mediaType\":\"").append(ImageLayer.MEDIA_TYPE)
                    .append("\",\"digest\":\"").append(layer.digest()).append("\",\"size\":").append(layer.size()).append('}');
        }
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + digest(imageConfig)
                + "\",\"size\":" + imageConfig.length + "},\"layers\":[" + layerDescriptors + "]}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = send(request("/v2/" + repository + "/manifests/" + tag, repository)
                .header("Content-Type", OCI_MANIFEST)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)));
        expect(response, 201, "manifest PUT " + repository + ":" + tag);
        return digest(manifest);
    }

    /** A manifest as the registry serves it: its media type, its bytes and its digest. */
    public record Manifest(String mediaType, byte[] body, String digest) {
    }

    /**
     * The manifest of {@code repository:reference} (a tag or a digest), accepting OCI and Docker v2 manifests, or
     * null when the registry has none.
     */
    public Manifest manifest(String repository, String reference) {
        try {
            HttpResponse<byte[]> response = http.send(request("/v2/" + repository + "/manifests/" + reference, repository)
                    .header("Accept", OCI_MANIFEST + ", application/vnd.docker.distribution.manifest.v2+json")
                    .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() == 404) {
                return null;
            }
            if (response.statusCode() != 200) {
                throw new IllegalStateException("manifest GET " + repository + ":" + reference + " answered " + response.statusCode());
            }
            return new Manifest(response.headers().firstValue("Content-Type").orElse(""), response.body(), digest(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Downloads a blob into {@code target} and checks it against its digest. */
    public Path downloadBlob(String repository, String digest, Path target) {
        try {
            HttpResponse<Path> response = http.send(request("/v2/" + repository + "/blobs/" + digest, repository).GET().build(),
                    HttpResponse.BodyHandlers.ofFile(target));
            if (response.statusCode() != 200) {
                throw new IllegalStateException("blob GET " + repository + "@" + digest + " answered " + response.statusCode());
            }
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            try (var in = Files.newInputStream(target)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    sha256.update(buffer, 0, n);
                }
            }
            String actual = "sha256:" + HexFormat.of().formatHex(sha256.digest());
            if (!actual.equals(digest)) {
                throw new IllegalStateException("blob " + digest + " of " + repository + " arrived as " + actual);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A small blob (an image config) as bytes. */
    public byte[] blob(String repository, String digest) {
        try {
            HttpResponse<byte[]> response = http.send(request("/v2/" + repository + "/blobs/" + digest, repository).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200 || !digest(response.body()).equals(digest)) {
                throw new IllegalStateException("blob GET " + repository + "@" + digest + " answered " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private boolean hasBlob(String repository, String digest) {
        HttpResponse<String> response = send(request("/v2/" + repository + "/blobs/" + digest, repository)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        return response.statusCode() == 200;
    }

    /** The registry's own log (for a failing test's message). */
    public String log() {
        try {
            return Files.readString(workDir.resolve("registry.log"));
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * How many requests the registry has served so far whose access-log line has this method and a path containing
     * {@code pathFragment} (e.g. {@code "GET", "/manifests/"}): what a test counts to prove a client stayed quiet.
     */
    public long requests(String method, String pathFragment) {
        return log().lines().filter(l -> l.contains("\"" + method + " ") && l.contains(pathFragment) && l.contains(" HTTP/")).count();
    }

    /** Stops the registry process, keeping its port, configuration and content: a registry that went down. */
    public void stop() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts a {@link #stop() stopped} registry again on the same port with the same content. */
    public void restart() {
        try {
            process = new ProcessBuilder(BINARY, "serve", workDir.resolve("config.yml").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve("registry.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitUp();
    }

    /** How many tokens the token service issued (0 without token authentication). */
    public int tokensIssued() {
        return tokens == null ? 0 : tokens.issued();
    }

    @Override
    public void close() {
        if (tokens != null) {
            tokens.close();
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(workDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp dir is harmless
        }
    }

    private void uploadBlob(String repository, byte[] content) {
        uploadBlob(repository, digest(content), HttpRequest.BodyPublishers.ofByteArray(content));
    }

    private void uploadBlob(String repository, String digest, HttpRequest.BodyPublisher content) {
        HttpResponse<String> started = send(request("/v2/" + repository + "/blobs/uploads/", repository)
                .POST(HttpRequest.BodyPublishers.noBody()));
        expect(started, 202, "blob upload start");
        String location = started.headers().firstValue("Location").orElseThrow();
        URI target = URI.create(scheme + "://" + host()).resolve(location);
        String separator = target.getQuery() == null ? "?" : "&";
        HttpResponse<String> finished = send(withAuth(HttpRequest.newBuilder(URI.create(target + separator + "digest=" + digest)), repository)
                .header("Content-Type", "application/octet-stream")
                .PUT(content));
        expect(finished, 201, "blob upload");
    }

    private HttpRequest.Builder request(String path, String repository) {
        return withAuth(HttpRequest.newBuilder(URI.create(scheme + "://" + host() + path)), repository);
    }

    private HttpRequest.Builder withAuth(HttpRequest.Builder builder, String repository) {
        builder.timeout(Duration.ofMinutes(2));
        if (tokens != null) {
            builder.header("Authorization", "Bearer " + tokens.issue(repository, "pull,push"));
        } else if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void expect(HttpResponse<String> response, int status, String what) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(what + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    private void awaitUp() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("docker-registry exited with " + process.exitValue() + ": " + log());
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(scheme + "://" + host() + "/v2/"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200 || response.statusCode() == 401) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        close();
        throw new IllegalStateException("docker-registry did not answer on " + host() + " within 30s: " + log());
    }

    private static byte[] salt() {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return salt;
    }

    static String digest(byte[] content) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
