package io.currents.source.helm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.Optional;

/**
 * GETs files from chart repositories: the index and chart archives. Redirects are followed by hand
 * so that credentials never travel to a host they are not meant for; bodies larger than the limit
 * are cut off with an error instead of filling memory.
 */
public final class HelmHttp {

    private static final int MAX_REDIRECTS = 10;

    private HelmHttp() {
    }

    /** A failed download; the message names the URL (without credentials) and what went wrong. */
    public static final class FetchException extends Exception {
        private final int status;

        FetchException(String message, int status) {
            super(message);
            this.status = status;
        }

        /** The HTTP status, or 0 when there was no response. */
        public int status() {
            return status;
        }
    }

    /** The index URL of a repository: {@code <url>/index.yaml}, joined as Helm joins paths. */
    public static String indexUrl(String repositoryUrl) {
        URI u = URI.create(repositoryUrl);
        String path = u.getRawPath() == null ? "" : u.getRawPath();
        path = (path.endsWith("/") ? path : path + "/") + "index.yaml";
        return u.getScheme() + "://" + u.getRawAuthority() + path + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    }

    /** Resolves a chart URL from the index against the repository URL (relative URLs are relative to the repository). */
    public static String chartUrl(String repositoryUrl, String chartUrl) {
        URI ref = URI.create(chartUrl.replace(" ", "%20"));
        if (ref.isAbsolute()) {
            return ref.toString();
        }
        String base = repositoryUrl.endsWith("/") ? repositoryUrl : repositoryUrl + "/";
        return URI.create(base).resolve(ref).toString();
    }

    public static byte[] get(String url, HelmAccess access, long maxBytes) throws FetchException {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(access.timeout());
        if (access.ssl() != null) {
            builder.sslContext(access.ssl());
        }
        try (HttpClient client = builder.build()) {
            URI target = URI.create(url);
            for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
                HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(access.timeout()).GET()
                        .header("User-Agent", "currents-source-controller");
                if (access.credentialsFor(target)) {
                    request.header("Authorization", access.basicAuthHeader());
                }
                HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
                int status = response.statusCode();
                if (status >= 300 && status < 400) {
                    Optional<String> location = response.headers().firstValue("Location");
                    response.body().close();
                    if (location.isEmpty()) {
                        throw new FetchException("failed to fetch " + redact(target) + " : " + status + " without a Location", status);
                    }
                    target = target.resolve(location.get());
                    continue;
                }
                try (InputStream body = response.body()) {
                    if (status != 200) {
                        throw new FetchException("failed to fetch " + redact(target) + " : " + status + " " + reasonPhrase(status), status);
                    }
                    long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
                    if (declared > maxBytes) {
                        throw new FetchException("file " + redact(target) + " is " + declared + " bytes, larger than the limit of " + maxBytes + " bytes", status);
                    }
                    return readLimited(body, maxBytes, target);
                }
            }
            throw new FetchException("failed to fetch " + redact(URI.create(url)) + " : too many redirects", 0);
        } catch (HttpTimeoutException e) {
            throw new FetchException("failed to fetch " + redact(URI.create(url)) + " : timeout after " + access.timeout().toSeconds() + "s", 0);
        } catch (IOException e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new FetchException("failed to fetch " + redact(URI.create(url)) + " : " + msg, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchException("interrupted while fetching " + redact(URI.create(url)), 0);
        } catch (IllegalArgumentException e) {
            throw new FetchException("invalid URL '" + url + "': " + e.getMessage(), 0);
        }
    }

    private static byte[] readLimited(InputStream in, long max, URI target) throws IOException, FetchException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            total += n;
            if (total > max) {
                throw new FetchException("file " + redact(target) + " is larger than the limit of " + max + " bytes", 200);
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    static String redact(URI u) {
        return u.toString().replaceAll("(?<=://)[^/@]*@", "");
    }

    private static String reasonPhrase(int status) {
        return switch (status) {
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            default -> "";
        };
    }
}
