package io.currents.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Talks to an OCI distribution registry for one repository: lists tags ({@code GET /v2/<name>/tags/list},
 * following {@code Link} pagination) and resolves a tag's manifest digest. Authenticates as the
 * registry asks in {@code WWW-Authenticate}: anonymously, with HTTP basic, or with a Bearer token
 * from the registry's token service (anonymous or with the credentials).
 */
public final class RegistryClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Pattern LINK_NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
    private static final Pattern CHALLENGE_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final String MANIFEST_TYPES = String.join(",",
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.docker.distribution.manifest.v2+json");

    private final ImageName image;
    private final RegistryCredentials credentials;
    private final Duration timeout;
    private final HttpClient http;
    private final boolean plainHttpAllowed;
    private String base;
    private boolean schemeChosen;
    private final int pageSize;
    private final String proxyAuthorization;
    private String authorization;

    /**
     * @param insecure plain HTTP instead of HTTPS (Flux's {@code spec.insecure}); loopback registries always use HTTP
     * @param ssl      TLS settings from {@code certSecretRef}, or null for the JVM's defaults
     */
    public RegistryClient(ImageName image, RegistryCredentials credentials, boolean insecure, SSLContext ssl, Duration timeout) {
        this(image, credentials, insecure, ssl, timeout, 1000);
    }

    /** As above, asking for {@code pageSize} tags per page (the registry may send fewer). */
    public RegistryClient(ImageName image, RegistryCredentials credentials, boolean insecure, SSLContext ssl, Duration timeout, int pageSize) {
        this(image, credentials, insecure, ssl, timeout, pageSize, null);
    }

    /** An HTTP proxy for every request: {@code address} ({@code http://host:port}) and optional basic credentials. */
    public record Proxy(String address, String username, String password) {
        @Override
        public String toString() {
            return "Proxy[" + address + "]";
        }
    }

    public RegistryClient(ImageName image, RegistryCredentials credentials, boolean insecure, SSLContext ssl, Duration timeout, int pageSize,
                          Proxy proxy) {
        this.pageSize = pageSize;
        this.image = image;
        this.credentials = credentials;
        this.timeout = timeout;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NORMAL);
        if (ssl != null) {
            builder.sslContext(ssl);
        }
        if (proxy != null) {
            URI address = URI.create(proxy.address().contains("://") ? proxy.address() : "http://" + proxy.address());
            int port = address.getPort() > 0 ? address.getPort() : 80;
            builder.proxy(java.net.ProxySelector.of(new java.net.InetSocketAddress(address.getHost(), port)));
        }
        this.http = builder.build();
        // sent with every request: the JDK passes it on to the proxy, also in the CONNECT of an HTTPS tunnel
        this.proxyAuthorization = proxy == null || proxy.username() == null || proxy.username().isEmpty() ? null
                : "Basic " + java.util.Base64.getEncoder().encodeToString((proxy.username() + ":"
                + (proxy.password() == null ? "" : proxy.password())).getBytes(StandardCharsets.UTF_8));
        // as go-containerregistry: HTTPS first; plain HTTP as a fallback when insecure or on loopback
        this.plainHttpAllowed = insecure || image.isLoopback();
        this.base = "https://" + image.registry();
    }

    /** Picks the scheme once: HTTPS when the registry answers it, else HTTP when that is allowed. */
    private void chooseScheme(Instant deadline) throws RegistryException {
        if (schemeChosen) {
            return;
        }
        if (!plainHttpAllowed) {
            schemeChosen = true;
            return;
        }
        URI ping = URI.create(base + "/v2/");
        try {
            HttpResponse<Void> answer = http.send(viaProxy(HttpRequest.newBuilder(ping)).timeout(remaining(deadline)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            if (answer.statusCode() == 407) {
                // the JDK does not send basic proxy credentials in a CONNECT: HTTPS through this proxy is out of reach
                base = "http://" + image.registry();
                httpsFailure = "the proxy refused the HTTPS tunnel (HTTP 407)";
            }
        } catch (IOException e) {
            base = "http://" + image.registry();
            httpsFailure = describe(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted while contacting " + image.registry());
        }
        schemeChosen = true;
    }

    private String httpsFailure;

    /** Every tag of the repository, in the registry's order. */
    public List<String> listTags() throws RegistryException {
        Instant deadline = Instant.now().plus(timeout);
        chooseScheme(deadline);
        List<String> tags = new ArrayList<>();
        URI next = URI.create(base + "/v2/" + image.repository() + "/tags/list?n=" + pageSize);
        int pages = 0;
        while (next != null) {
            if (++pages > 10_000) {
                throw new RegistryException("the registry kept paginating tags past 10,000 pages");
            }
            HttpResponse<String> response = get(next, "application/json", deadline);
            if (response.statusCode() != 200) {
                throw failure("GET " + redact(next), response);
            }
            try {
                JsonNode list = JSON.readTree(response.body()).get("tags");
                if (list != null && list.isArray()) {
                    list.forEach(t -> tags.add(t.asText()));
                }
            } catch (IOException e) {
                throw new RegistryException("GET " + redact(next) + ": the registry's answer is not a tag list: " + e.getMessage());
            }
            next = response.headers().firstValue("Link").map(link -> {
                Matcher m = LINK_NEXT.matcher(link);
                return m.find() ? URI.create(base).resolve(m.group(1)) : null;
            }).orElse(null);
        }
        return tags;
    }

    /** The manifest digest ({@code sha256:…}) of {@code tag}, as the registry reports it. */
    public String digest(String tag) throws RegistryException {
        Instant deadline = Instant.now().plus(timeout);
        chooseScheme(deadline);
        URI uri = URI.create(base + "/v2/" + image.repository() + "/manifests/" + tag);
        HttpResponse<String> response = send(uri, MANIFEST_TYPES, "HEAD", deadline);
        if (response.statusCode() != 200 || response.headers().firstValue("Docker-Content-Digest").isEmpty()) {
            response = send(uri, MANIFEST_TYPES, "GET", deadline);
        }
        if (response.statusCode() != 200) {
            throw failure("GET " + redact(uri), response);
        }
        return response.headers().firstValue("Docker-Content-Digest").orElseThrow(() ->
                new RegistryException("the registry did not report a digest for " + image + ":" + tag));
    }

    private HttpResponse<String> get(URI uri, String accept, Instant deadline) throws RegistryException {
        return send(uri, accept, "GET", deadline);
    }

    private HttpResponse<String> send(URI uri, String accept, String method, Instant deadline) throws RegistryException {
        HttpResponse<String> response = exchange(uri, accept, method, authorization, deadline);
        if (response.statusCode() == 401) {
            String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
            authorization = authorize(challenge, deadline);
            if (authorization != null) {
                response = exchange(uri, accept, method, authorization, deadline);
            }
        }
        return response;
    }

    /** The Authorization header answering a challenge, or null when there is nothing to answer with. */
    private String authorize(String challenge, Instant deadline) throws RegistryException {
        String scheme = challenge.split("\\s+", 2)[0].toLowerCase(java.util.Locale.ROOT);
        if (scheme.equals("basic")) {
            if (credentials == null) {
                throw new RegistryException("the registry " + image.registry() + " requires authentication (basic): set spec.secretRef to a "
                        + "kubernetes.io/dockerconfigjson Secret with credentials for it", 401);
            }
            return credentials.basicHeader();
        }
        if (!scheme.equals("bearer")) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        Matcher m = CHALLENGE_PARAM.matcher(challenge);
        while (m.find()) {
            params.put(m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(2));
        }
        String realm = params.get("realm");
        if (realm == null || realm.isBlank()) {
            throw new RegistryException("the registry " + image.registry() + " asked for a Bearer token without naming a realm");
        }
        StringBuilder query = new StringBuilder();
        if (params.containsKey("service")) {
            query.append("service=").append(encode(params.get("service")));
        }
        String scope = params.getOrDefault("scope", "repository:" + image.repository() + ":pull");
        query.append(query.isEmpty() ? "" : "&").append("scope=").append(encode(scope));
        URI tokenUri = URI.create(realm + (realm.contains("?") ? "&" : "?") + query);
        HttpRequest.Builder request = viaProxy(HttpRequest.newBuilder(tokenUri)).timeout(remaining(deadline)).GET();
        if (credentials != null) {
            request.header("Authorization", credentials.basicHeader());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new RegistryException("token request to " + redact(tokenUri) + " failed: " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted while requesting a token");
        }
        if (response.statusCode() != 200) {
            throw new RegistryException("the token service " + redact(tokenUri) + " refused "
                    + (credentials == null ? "anonymous access" : "the credentials") + " (HTTP " + response.statusCode() + ")"
                    + (credentials == null ? ": set spec.secretRef to a kubernetes.io/dockerconfigjson Secret" : ""), response.statusCode());
        }
        try {
            JsonNode body = JSON.readTree(response.body());
            JsonNode token = body.hasNonNull("token") ? body.get("token") : body.get("access_token");
            if (token == null || token.asText().isEmpty()) {
                throw new RegistryException("the token service " + redact(tokenUri) + " answered without a token");
            }
            return "Bearer " + token.asText();
        } catch (IOException e) {
            throw new RegistryException("the token service " + redact(tokenUri) + " answered something that is not JSON");
        }
    }

    private HttpResponse<String> exchange(URI uri, String accept, String method, String auth, Instant deadline) throws RegistryException {
        HttpRequest.Builder request = viaProxy(HttpRequest.newBuilder(uri))
                .timeout(remaining(deadline))
                .header("Accept", accept)
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (auth != null) {
            request.header("Authorization", auth);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new RegistryException(method + " " + redact(uri) + ": no answer within the timeout of " + timeout.toSeconds() + "s");
        } catch (IOException e) {
            throw new RegistryException(method + " " + redact(uri) + ": " + describe(e)
                    + (httpsFailure == null ? "" : " (over HTTPS: " + httpsFailure + ")"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted during " + method + " " + redact(uri));
        }
    }

    private HttpRequest.Builder viaProxy(HttpRequest.Builder builder) {
        return proxyAuthorization == null ? builder : builder.header("Proxy-Authorization", proxyAuthorization);
    }

    private Duration remaining(Instant deadline) throws RegistryException {
        Duration left = Duration.between(Instant.now(), deadline);
        if (left.isNegative() || left.isZero()) {
            throw new RegistryException("the registry " + image.registry() + " did not finish answering within the timeout of " + timeout.toSeconds() + "s");
        }
        return left;
    }

    private RegistryException failure(String what, HttpResponse<String> response) {
        int status = response.statusCode();
        String detail = registryErrors(response.body());
        String hint = switch (status) {
            case 401 -> credentials == null
                    ? ": authentication required; set spec.secretRef to a kubernetes.io/dockerconfigjson Secret with credentials for " + image.registry()
                    : ": the registry rejected the credentials of spec.secretRef";
            case 403 -> ": access denied to " + image.repository();
            case 404 -> ": repository " + image.repository() + " not found";
            case 407 -> ": the proxy of spec.proxySecretRef refused the request (check its username and password; basic proxy "
                    + "credentials are not sent through the CONNECT tunnel of an HTTPS registry)";
            default -> "";
        };
        return new RegistryException(what + ": HTTP " + status + hint + (detail.isEmpty() ? "" : " (" + detail + ")")
                + (httpsFailure == null ? "" : " (over HTTPS: " + httpsFailure + ")"), status);
    }

    /** The {@code errors[].code: message} list of a distribution error body, or empty. */
    private static String registryErrors(String body) {
        try {
            JsonNode errors = JSON.readTree(body).get("errors");
            if (errors == null || !errors.isArray()) {
                return "";
            }
            List<String> parts = new ArrayList<>();
            errors.forEach(e -> parts.add(e.path("code").asText() + ": " + e.path("message").asText()));
            return String.join("; ", parts);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            message = e.getClass().getSimpleName();
        }
        if (e instanceof java.net.ConnectException) {
            return "connection refused (" + message + ")";
        }
        if (e instanceof javax.net.ssl.SSLException) {
            return "TLS error: " + message + " (for a registry that speaks plain HTTP set spec.insecure: true; for a private CA set spec.certSecretRef)";
        }
        return message;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String redact(URI uri) {
        return uri.toString().replaceAll("(?<=://)[^/@]*@", "");
    }
}
