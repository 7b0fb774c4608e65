package io.currents.helm.controller;

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
 * Downloads a chart artifact (the packaged chart .tgz source-controller serves) and verifies it against
 * {@code status.artifact.digest} before Helm sees it. A size limit guards the controller's disk and memory.
 */
final class ChartFetcher {

    /** The artifact is not served (yet, or any more). */
    static final class ArtifactNotFound extends IOException {
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
     * @param maxBytes         largest artifact accepted (0: unlimited)
     * @param hostnameOverride Flux's {@code SOURCE_CONTROLLER_LOCALHOST}: host:port used instead of the URL's
     */
    ChartFetcher(int retries, long maxBytes, String hostnameOverride) {
        this.retries = Math.max(0, retries);
        this.maxBytes = maxBytes <= 0 ? Long.MAX_VALUE : maxBytes;
        this.hostnameOverride = hostnameOverride == null || hostnameOverride.isBlank() ? null : hostnameOverride;
    }

    /** Downloads the artifact to {@code target} and checks its digest; the file is removed when it does not match. */
    void fetch(Artifact artifact, Path target) throws IOException {
        URI uri = uri(artifact.getUrl());
        String expected = artifact.getDigest();
        String actual = download(uri, expected, target);
        if (expected != null && !expected.isEmpty() && !expected.equals(actual)) {
            Files.deleteIfExists(target);
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

    private String download(URI uri, String expected, Path file) throws IOException {
        String[] algorithm = algorithmOf(expected);
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
                MessageDigest digest = MessageDigest.getInstance(algorithm[1]);
                try (InputStream in = response.body();
                     OutputStream out = new DigestOutputStream(Files.newOutputStream(file), digest)) {
                    byte[] buffer = new byte[64 * 1024];
                    long total = 0;
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        total += n;
                        if (total > maxBytes) {
                            throw new IOException("artifact exceeds the maximum size of " + maxBytes + " bytes");
                        }
                        out.write(buffer, 0, n);
                    }
                }
                return algorithm[0] + ":" + HexFormat.of().formatHex(digest.digest());
            } catch (ArtifactNotFound e) {
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while downloading " + uri);
            } catch (NoSuchAlgorithmException e) {
                throw new IOException("unsupported digest algorithm " + algorithm[0]);
            } catch (IOException e) {
                last = new IOException("failed to download artifact from " + uri + ": " + e.getMessage(), e);
            }
        }
        throw last;
    }

    private static String[] algorithmOf(String digest) throws IOException {
        String prefix = digest == null || !digest.contains(":") ? "sha256" : digest.substring(0, digest.indexOf(':')).toLowerCase(Locale.ROOT);
        return switch (prefix) {
            case "sha256" -> new String[]{prefix, "SHA-256"};
            case "sha384" -> new String[]{prefix, "SHA-384"};
            case "sha512" -> new String[]{prefix, "SHA-512"};
            case "sha1" -> new String[]{prefix, "SHA-1"};
            default -> throw new IOException("unsupported digest algorithm '" + prefix + "'");
        };
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
