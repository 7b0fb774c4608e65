package io.currents.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Authenticator;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client of the OCI distribution API for one set of settings (credentials, TLS, proxy, plain HTTP, timeout):
 * resolves and pulls manifests with verified digests, streams blobs with their size and digest checked, lists tags,
 * and pushes blobs and manifests. Authenticates as registries ask in {@code WWW-Authenticate}: Bearer tokens from the
 * named realm (with the credentials, when there are any) or Basic. Redirects are followed by hand so that the
 * registry's Authorization never reaches another host.
 */
public final class OciClient {

    /** The manifest types this client pulls. */
    public static final String MANIFEST_ACCEPT = String.join(", ", OciManifest.OCI_MANIFEST, OciManifest.DOCKER_MANIFEST,
            OciManifest.OCI_INDEX, OciManifest.DOCKER_LIST);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_MANIFEST_BYTES = 4L << 20;
    private static final long MAX_SMALL_BODY_BYTES = 1L << 20;
    private static final int MAX_TAG_PAGES = 100;
    private static final int MAX_REDIRECTS = 5;
    private static final Pattern CHALLENGE_PARAM = Pattern.compile("([A-Za-z]+)=\"([^\"]*)\"");
    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>;\\s*rel=\"?next\"?");

    private final HttpClient http;
    private final RegistryCredentials credentials;
    private final boolean plainHttp;
    private final Duration timeout;
    private final Map<String, String> authorizations = new HashMap<>();

    private OciClient(Builder b) {
        HttpClient.Builder hb = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(b.timeout);
        if (b.sslContext != null) {
            hb.sslContext(b.sslContext);
        }
        if (b.proxy != null) {
            hb.proxy(ProxySelector.of(new InetSocketAddress(b.proxy.getHost(), b.proxy.getPort() < 0 ? 80 : b.proxy.getPort())));
            if (b.proxyUsername != null) {
                String user = b.proxyUsername;
                char[] pass = b.proxyPassword == null ? new char[0] : b.proxyPassword.toCharArray();
                hb.authenticator(new Authenticator() {
                    @Override
                    protected PasswordAuthentication getPasswordAuthentication() {
                        // only the proxy gets these; registry credentials travel in our own headers
                        return getRequestorType() == RequestorType.PROXY ? new PasswordAuthentication(user, pass) : null;
                    }
                });
            }
        }
        this.http = hb.build();
        this.credentials = b.credentials;
        this.plainHttp = b.plainHttp;
        this.timeout = b.timeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings of an {@link OciClient}. */
    public static final class Builder {
        private RegistryCredentials credentials;
        private SSLContext sslContext;
        private boolean plainHttp;
        private URI proxy;
        private String proxyUsername;
        private String proxyPassword;
        private Duration timeout = Duration.ofSeconds(60);

        public Builder credentials(RegistryCredentials credentials) {
            this.credentials = credentials;
            return this;
        }

        /** Trust and client certificate for HTTPS registries; null keeps the JVM's defaults. */
        public Builder sslContext(SSLContext sslContext) {
            this.sslContext = sslContext;
            return this;
        }

        /** Speak plain HTTP to the registry (Flux's {@code insecure: true}). */
        public Builder plainHttp(boolean plainHttp) {
            this.plainHttp = plainHttp;
            return this;
        }

        public Builder proxy(URI address, String username, String password) {
            this.proxy = address;
            this.proxyUsername = username;
            this.proxyPassword = password;
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout);
            return this;
        }

        public OciClient build() {
            return new OciClient(this);
        }
    }

    /** The descriptor of the manifest a tag or digest points at, from one HEAD (a GET when the registry gives no digest). */
    public Descriptor resolve(OciReference ref) throws OciException {
        String reference = ref.reference();
        HttpResponse<InputStream> response = exchange("HEAD", url(ref, "/manifests/" + reference), Map.of("Accept", MANIFEST_ACCEPT),
                HttpRequest.BodyPublishers.noBody(), ref, "pull");
        close(response);
        expectOk(response, ref, "manifest " + reference);
        String digest = response.headers().firstValue("Docker-Content-Digest").orElse(null);
        String type = response.headers().firstValue("Content-Type").orElse("");
        long size = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (digest == null) {
            OciManifest manifest = manifest(ref);
            return new Descriptor(manifest.mediaType(), manifest.digest(), manifest.body().length, manifest.annotations());
        }
        if (ref.digest() != null && !ref.digest().equals(digest)) {
            throw new OciException(OciException.Kind.INTEGRITY, "registry answered digest " + digest + " for " + ref);
        }
        return new Descriptor(type, digest, size, Map.of());
    }

    /** The image manifest of a tag or digest, its bytes checked against the digest asked for or announced. */
    public OciManifest manifest(OciReference ref) throws OciException {
        String reference = ref.reference();
        HttpResponse<InputStream> response = exchange("GET", url(ref, "/manifests/" + reference), Map.of("Accept", MANIFEST_ACCEPT),
                HttpRequest.BodyPublishers.noBody(), ref, "pull");
        expectOk(response, ref, "manifest " + reference);
        byte[] body = readBounded(response, MAX_MANIFEST_BYTES, "manifest " + reference);
        String digest = Digests.sha256(body);
        String announced = response.headers().firstValue("Docker-Content-Digest").orElse(digest);
        String expected = ref.digest() != null ? ref.digest() : announced;
        if (!digest.equals(expected)) {
            throw new OciException(OciException.Kind.INTEGRITY, "manifest of " + ref + " does not match its digest: expected "
                    + expected + ", got " + digest);
        }
        return OciManifest.parse(response.headers().firstValue("Content-Type").orElse(""), digest, body);
    }

    /**
     * Streams a blob into {@code out}, refusing it when its declared size is over {@code maxBytes} and failing when
     * what arrives is longer than declared or does not hash to the digest.
     */
    public void fetchBlob(OciReference ref, Descriptor blob, OutputStream out, long maxBytes) throws OciException {
        if (blob.size() > maxBytes) {
            throw new OciException(OciException.Kind.INTEGRITY, "blob " + blob.digest() + " is " + blob.size()
                    + " bytes, over the limit of " + maxBytes + " bytes");
        }
        HttpResponse<InputStream> response = exchange("GET", url(ref, "/blobs/" + blob.digest()), Map.of(),
                HttpRequest.BodyPublishers.noBody(), ref, "pull");
        expectOk(response, ref, "blob " + blob.digest());
        MessageDigest sha256 = Digests.newSha256();
        long total = 0;
        try (InputStream in = response.body()) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
                if (total > blob.size()) {
                    throw new OciException(OciException.Kind.INTEGRITY, "blob " + blob.digest() + " is longer than its declared "
                            + blob.size() + " bytes");
                }
                sha256.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
        } catch (OciException e) {
            throw e;
        } catch (IOException e) {
            throw transport(ref, "reading blob " + blob.digest(), e);
        }
        String actual = Digests.format(sha256);
        if (total != blob.size() || !actual.equals(blob.digest())) {
            throw new OciException(OciException.Kind.INTEGRITY, "blob does not match its digest: expected " + blob.digest()
                    + " (" + blob.size() + " bytes), got " + actual + " (" + total + " bytes)");
        }
    }

    /** A small blob (config, signature payload) in memory, verified. */
    public byte[] blob(OciReference ref, Descriptor blob) throws OciException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        fetchBlob(ref, blob, out, MAX_SMALL_BODY_BYTES);
        return out.toByteArray();
    }

    /** Every tag of the repository, following the registry's pagination (bounded). */
    public List<String> tags(OciReference ref) throws OciException {
        List<String> tags = new ArrayList<>();
        URI next = url(ref, "/tags/list?n=1000");
        for (int page = 0; next != null; page++) {
            if (page >= MAX_TAG_PAGES) {
                throw new OciException(OciException.Kind.INTEGRITY, "the tag list of " + ref.url() + " has more than "
                        + MAX_TAG_PAGES + " pages");
            }
            HttpResponse<InputStream> response = exchange("GET", next, Map.of(), HttpRequest.BodyPublishers.noBody(), ref, "pull");
            expectOk(response, ref, "tag list");
            byte[] body = readBounded(response, MAX_MANIFEST_BYTES, "tag list");
            try {
                JsonNode list = JSON.readTree(body).path("tags");
                for (JsonNode tag : list) {
                    tags.add(tag.asText());
                }
            } catch (IOException e) {
                throw new OciException(OciException.Kind.UNSUPPORTED, "the tag list of " + ref.url() + " is not JSON");
            }
            next = response.headers().firstValue("Link").map(link -> {
                Matcher m = NEXT_LINK.matcher(link);
                return m.find() ? baseUri(ref).resolve(m.group(1)) : null;
            }).orElse(null);
        }
        return tags;
    }

    /** Uploads a blob unless the repository has it already; returns its descriptor. */
    public Descriptor pushBlob(OciReference ref, String mediaType, Path file, String digest, long size) throws OciException {
        try {
            return pushBlob(ref, mediaType, HttpRequest.BodyPublishers.ofFile(file), digest, size);
        } catch (java.io.FileNotFoundException e) {
            throw new OciException(OciException.Kind.TRANSPORT, "cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Uploads a small blob unless the repository has it already; returns its descriptor. */
    public Descriptor pushBlob(OciReference ref, String mediaType, byte[] content) throws OciException {
        return pushBlob(ref, mediaType, HttpRequest.BodyPublishers.ofByteArray(content), Digests.sha256(content), content.length);
    }

    private Descriptor pushBlob(OciReference ref, String mediaType, HttpRequest.BodyPublisher content, String digest, long size)
            throws OciException {
        Descriptor descriptor = new Descriptor(mediaType, digest, size, Map.of());
        HttpResponse<InputStream> head = exchange("HEAD", url(ref, "/blobs/" + digest), Map.of(),
                HttpRequest.BodyPublishers.noBody(), ref, "pull,push");
        close(head);
        if (head.statusCode() == 200) {
            return descriptor;
        }
        HttpResponse<InputStream> started = exchange("POST", url(ref, "/blobs/uploads/"), Map.of(),
                HttpRequest.BodyPublishers.noBody(), ref, "pull,push");
        close(started);
        expectStatus(started, 202, ref, "blob upload");
        String location = started.headers().firstValue("Location")
                .orElseThrow(() -> new OciException(OciException.Kind.TRANSPORT, "blob upload to " + ref.url() + " gave no Location"));
        URI target = baseUri(ref).resolve(location);
        URI put = URI.create(target + (target.getRawQuery() == null ? "?" : "&") + "digest=" + URLEncoder.encode(digest, StandardCharsets.UTF_8));
        HttpResponse<InputStream> finished = exchange("PUT", put, Map.of("Content-Type", "application/octet-stream"), content, ref, "pull,push");
        close(finished);
        expectStatus(finished, 201, ref, "blob upload");
        return descriptor;
    }

    /** Puts a manifest under a tag (or its digest when tag is null); returns its digest. */
    public String pushManifest(OciReference ref, String tag, String mediaType, byte[] manifest) throws OciException {
        String digest = Digests.sha256(manifest);
        HttpResponse<InputStream> response = exchange("PUT", url(ref, "/manifests/" + (tag == null ? digest : tag)),
                Map.of("Content-Type", mediaType), HttpRequest.BodyPublishers.ofByteArray(manifest), ref, "pull,push");
        close(response);
        expectStatus(response, 201, ref, "manifest upload");
        return digest;
    }

    // --- HTTP, authentication, redirects ---

    private HttpResponse<InputStream> exchange(String method, URI uri, Map<String, String> headers, HttpRequest.BodyPublisher body,
                                               OciReference ref, String actions) throws OciException {
        String key = ref.registry() + "/" + ref.repository() + "|" + actions;
        HttpResponse<InputStream> response = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            String authorization = authorizations.get(key);
            response = follow(method, uri, headers, body, authorization, ref);
            if (response.statusCode() != 401 || attempt == 1) {
                return response;
            }
            close(response);
            String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
            String next = authorize(challenge, ref, actions);
            if (next == null || next.equals(authorization)) {
                return response;
            }
            authorizations.put(key, next);
        }
        return response;
    }

    private HttpResponse<InputStream> follow(String method, URI uri, Map<String, String> headers, HttpRequest.BodyPublisher body,
                                             String authorization, OciReference ref) throws OciException {
        URI current = uri;
        for (int hop = 0; ; hop++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(current).timeout(timeout).method(method, body);
            headers.forEach(request::header);
            if (authorization != null && sameOrigin(current, uri)) {
                request.header("Authorization", authorization);
            }
            HttpResponse<InputStream> response = send(request.build(), ref);
            int status = response.statusCode();
            boolean redirect = status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
            if (!redirect || !("GET".equals(method) || "HEAD".equals(method))) {
                return response;
            }
            close(response);
            if (hop >= MAX_REDIRECTS) {
                throw new OciException(OciException.Kind.TRANSPORT, "too many redirects from " + ref.registry());
            }
            String location = response.headers().firstValue("Location")
                    .orElseThrow(() -> new OciException(OciException.Kind.TRANSPORT, "redirect without Location from " + ref.registry()));
            current = current.resolve(location);
            if (!"https".equals(current.getScheme()) && !"http".equals(current.getScheme())) {
                throw new OciException(OciException.Kind.TRANSPORT, "redirect to an unsupported scheme from " + ref.registry());
            }
        }
    }

    private static boolean sameOrigin(URI a, URI b) {
        return Objects.equals(a.getScheme(), b.getScheme()) && Objects.equals(a.getHost(), b.getHost()) && a.getPort() == b.getPort();
    }

    /** The Authorization value a challenge asks for, or null when we have nothing to answer it with. */
    private String authorize(String challenge, OciReference ref, String actions) throws OciException {
        String scheme = challenge.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
        if ("basic".equals(scheme)) {
            return credentials == null ? null : basic(credentials);
        }
        if (!"bearer".equals(scheme)) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        Matcher m = CHALLENGE_PARAM.matcher(challenge);
        while (m.find()) {
            params.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2));
        }
        String realm = params.get("realm");
        URI realmUri;
        try {
            realmUri = realm == null ? null : URI.create(realm);
        } catch (IllegalArgumentException e) {
            realmUri = null;
        }
        if (realmUri == null || realmUri.getHost() == null
                || !("https".equals(realmUri.getScheme()) || "http".equals(realmUri.getScheme()))) {
            throw new OciException(OciException.Kind.AUTHENTICATION, "registry " + ref.registry() + " asked for a token from an invalid realm");
        }
        if (credentials != null && "http".equals(realmUri.getScheme()) && !plainHttp) {
            // credentials that were protected by TLS to the registry are not sent in clear text to its token service
            throw new OciException(OciException.Kind.AUTHENTICATION, "registry " + ref.registry()
                    + " asked for credentials over plain HTTP at " + realmUri.getHost());
        }
        StringBuilder query = new StringBuilder();
        if (params.containsKey("service")) {
            query.append("service=").append(URLEncoder.encode(params.get("service"), StandardCharsets.UTF_8));
        }
        String scope = "repository:" + ref.repository() + ":" + actions;
        query.append(query.isEmpty() ? "" : "&").append("scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
        URI tokenUri = URI.create(realm + (realm.contains("?") ? "&" : "?") + query);
        HttpRequest.Builder request = HttpRequest.newBuilder(tokenUri).timeout(timeout).GET();
        if (credentials != null) {
            request.header("Authorization", basic(credentials));
        }
        HttpResponse<InputStream> response = send(request.build(), ref);
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            close(response);
            throw new OciException(OciException.Kind.AUTHENTICATION, "authentication to " + ref.registry() + " failed: the token service refused "
                    + (credentials == null ? "anonymous access (no credentials given)" : "the credentials"));
        }
        expectOk(response, ref, "token");
        byte[] body = readBounded(response, MAX_SMALL_BODY_BYTES, "token");
        try {
            JsonNode json = JSON.readTree(body);
            String token = json.path("token").asText(json.path("access_token").asText(""));
            if (token.isEmpty()) {
                throw new OciException(OciException.Kind.AUTHENTICATION, "the token service of " + ref.registry() + " returned no token");
            }
            return "Bearer " + token;
        } catch (IOException e) {
            throw new OciException(OciException.Kind.AUTHENTICATION, "the token service of " + ref.registry() + " returned no JSON");
        }
    }

    private static String basic(RegistryCredentials c) {
        return "Basic " + Base64.getEncoder().encodeToString((c.username() + ":" + c.password()).getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<InputStream> send(HttpRequest request, OciReference ref) throws OciException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new OciException(OciException.Kind.TRANSPORT, "request to " + request.uri().getHost() + " timed out after " + timeout.toSeconds() + "s");
        } catch (IOException e) {
            throw transport(ref, "connecting to " + request.uri().getHost() + ":" + request.uri().getPort(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OciException(OciException.Kind.TRANSPORT, "interrupted");
        }
    }

    private static OciException transport(OciReference ref, String what, IOException e) {
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof javax.net.ssl.SSLException) {
            detail = "TLS handshake failed: " + detail;
        }
        return new OciException(OciException.Kind.TRANSPORT, what + " failed (" + ref.registry() + "): " + detail, e);
    }

    private void expectOk(HttpResponse<InputStream> response, OciReference ref, String what) throws OciException {
        expectStatus(response, 200, ref, what);
    }

    private void expectStatus(HttpResponse<InputStream> response, int expected, OciReference ref, String what) throws OciException {
        int status = response.statusCode();
        if (status == expected) {
            return;
        }
        String detail = registryError(response);
        switch (status) {
            case 401 -> throw new OciException(OciException.Kind.AUTHENTICATION, "authentication to " + ref.registry() + " failed for "
                    + ref.url() + (credentials == null ? " (no credentials given)" : "") + detail);
            case 403 -> throw new OciException(OciException.Kind.AUTHENTICATION, "access to " + ref.url() + " denied" + detail);
            case 404 -> throw new OciException(OciException.Kind.NOT_FOUND, what + " not found in " + ref.url() + detail);
            default -> throw new OciException(OciException.Kind.TRANSPORT, what + " of " + ref.url() + " answered HTTP " + status + detail);
        }
    }

    private static String registryError(HttpResponse<InputStream> response) {
        try {
            byte[] body = response.body() == null ? new byte[0] : response.body().readNBytes(8192);
            close(response);
            JsonNode first = JSON.readTree(body).path("errors").path(0);
            String code = first.path("code").asText("");
            String message = first.path("message").asText("");
            String text = (code + " " + message).strip();
            return text.isEmpty() ? "" : ": " + (text.length() > 200 ? text.substring(0, 200) : text);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static byte[] readBounded(HttpResponse<InputStream> response, long max, String what) throws OciException {
        try (InputStream in = response.body()) {
            byte[] body = in.readNBytes((int) max + 1);
            if (body.length > max) {
                throw new OciException(OciException.Kind.INTEGRITY, what + " is larger than " + max + " bytes");
            }
            return body;
        } catch (OciException e) {
            throw e;
        } catch (IOException e) {
            throw new OciException(OciException.Kind.TRANSPORT, "reading " + what + " failed: " + e.getMessage(), e);
        }
    }

    private static void close(HttpResponse<InputStream> response) {
        try {
            if (response.body() != null) {
                response.body().close();
            }
        } catch (IOException ignored) {
            // the connection is dropped either way
        }
    }

    private URI baseUri(OciReference ref) {
        return URI.create((plainHttp ? "http" : "https") + "://" + ref.registry());
    }

    private URI url(OciReference ref, String path) {
        return URI.create(baseUri(ref) + "/v2/" + ref.repository() + path);
    }
}
