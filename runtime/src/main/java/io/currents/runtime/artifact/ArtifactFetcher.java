package io.currents.runtime.artifact;

import io.currents.api.meta.Artifact;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Downloads a source's artifact over HTTP (retrying network errors and 5xx answers), verifies it against
 * {@code status.artifact.digest} before anyone reads it, and either keeps the file (a chart .tgz for Helm) or
 * extracts it safely (no path traversal, no links out, a size limit): what kustomize- and helm-controller share.
 */
public final class ArtifactFetcher {

    /** The artifact is not (yet) served: source-controller has not stored it, or garbage-collected it. */
    public static final class ArtifactNotFound extends IOException {
        ArtifactNotFound(String message) {
            super(message);
        }
    }

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    private final int retries;
    private final long maxBytes;
    private final String hostnameOverride;

    /**
     * @param retries          attempts after the first on network errors and 5xx answers
     * @param maxBytes         the size limit (0: none): of the download for {@link #download}, of both the download
     *                         and the unpacked files for {@link #fetch}
     * @param hostnameOverride Flux's {@code SOURCE_CONTROLLER_LOCALHOST}: host:port used instead of the URL's
     */
    public ArtifactFetcher(int retries, long maxBytes, String hostnameOverride) {
        this.retries = Math.max(0, retries);
        this.maxBytes = maxBytes <= 0 ? Long.MAX_VALUE : maxBytes;
        this.hostnameOverride = hostnameOverride == null || hostnameOverride.isBlank() ? null : hostnameOverride;
    }

    /**
     * Downloads, verifies and unpacks the artifact into {@code target}. The compressed download is held to the same
     * limit as the unpacked files: a tar.gz is smaller than what it holds, so a larger body is not an artifact.
     */
    public void fetch(Artifact artifact, Path target) throws IOException {
        Path download = Files.createTempFile(target.getParent(), "artifact-", ".tar.gz");
        try {
            verifiedDownload(artifact, download, maxBytes);
            try (InputStream in = Files.newInputStream(download)) {
                ArtifactArchive.extract(in, target, maxBytes);
            } catch (ArtifactArchive.UnsafeArchiveException e) {
                throw new IOException("failed to extract archive (check whether file size exceeds max download size): "
                        + e.getMessage(), e);
            }
        } finally {
            Files.deleteIfExists(download);
        }
    }

    /** Downloads the artifact to {@code file} as it is and verifies it; the file is removed when it does not match. */
    public void download(Artifact artifact, Path file) throws IOException {
        verifiedDownload(artifact, file, maxBytes);
    }

    private void verifiedDownload(Artifact artifact, Path file, long limit) throws IOException {
        URI uri = uri(artifact.getUrl());
        String expected = artifact.getDigest();
        String actual = download(uri, expected, file, limit);
        if (expected != null && !expected.isEmpty() && !expected.equals(actual)) {
            Files.deleteIfExists(file);
            throw new IOException("failed to verify artifact: computed digest doesn't match '" + expected + "'");
        }
    }

    private URI uri(String url) throws IOException {
        if (url == null || url.isBlank()) {
            throw new IOException("artifact has no URL");
        }
        try {
            URI uri = URI.create(url);
            if (hostnameOverride != null) {
                uri = URI.create(uri.getScheme() + "://" + hostnameOverride + uri.getRawPath()
                        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid artifact URL '" + url + "'");
        }
    }

    /** Streams the body to {@code file} and returns its digest in the algorithm of {@code expected}. */
    private String download(URI uri, String expected, Path file, long limit) throws IOException {
        Algorithm algorithm = algorithmOf(expected);
        IOException last = null;
        for (int attempt = 0; attempt <= retries; attempt++) {
            if (attempt > 0) {
                sleep(Duration.ofMillis(Math.min(5_000, 200L << Math.min(attempt, 5))));
            }
            try {
                HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2)).GET().build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                int code = response.statusCode();
                if (code == 404) {
                    response.body().close();
                    throw new ArtifactNotFound("artifact not found at " + uri);
                }
                if (code != 200) {
                    response.body().close();
                    last = new IOException("failed to download artifact from " + uri + ", status: " + code);
                    if (code >= 500) {
                        continue;
                    }
                    throw last;
                }
                MessageDigest digest = MessageDigest.getInstance(algorithm.javaName);
                try (InputStream in = response.body();
                     OutputStream out = new DigestOutputStream(Files.newOutputStream(file), digest)) {
                    byte[] buffer = new byte[64 * 1024];
                    long total = 0;
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        total += n;
                        if (total > limit) {
                            throw new TooLarge("artifact exceeds the maximum size of " + limit + " bytes");
                        }
                        out.write(buffer, 0, n);
                    }
                }
                return algorithm.prefix + ":" + HexFormat.of().formatHex(digest.digest());
            } catch (ArtifactNotFound | TooLarge e) {
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while downloading " + uri);
            } catch (NoSuchAlgorithmException e) {
                throw new IOException("unsupported digest algorithm " + algorithm.prefix);
            } catch (IOException e) {
                last = new IOException("failed to download artifact from " + uri + ": " + describe(e), e);
            }
        }
        throw last;
    }

    private record Algorithm(String prefix, String javaName) {
    }

    /** Over the size limit: retrying cannot help. */
    private static final class TooLarge extends IOException {
        TooLarge(String message) {
            super(message);
        }
    }

    private static Algorithm algorithmOf(String digest) throws IOException {
        String prefix = digest == null || !digest.contains(":") ? "sha256" : digest.substring(0, digest.indexOf(':')).toLowerCase(Locale.ROOT);
        return switch (prefix) {
            case "sha256" -> new Algorithm(prefix, "SHA-256");
            case "sha384" -> new Algorithm(prefix, "SHA-384");
            case "sha512" -> new Algorithm(prefix, "SHA-512");
            case "sha1" -> new Algorithm(prefix, "SHA-1");
            default -> throw new IOException("unsupported digest algorithm '" + prefix + "'");
        };
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void sleep(Duration d) throws IOException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }
}
