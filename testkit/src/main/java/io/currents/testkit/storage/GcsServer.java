package io.currents.testkit.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Google Cloud Storage stand-in on 127.0.0.1 for tests: the part of the JSON API a reader uses (list objects with
 * prefix and page tokens, object metadata, object media with generation, MD5 and ETag headers, ranges) and the
 * OAuth token endpoint of a service account key it issues. Every storage request must carry a bearer token this server
 * issued for a JWT assertion signed by that key; it records the requests it served. No Google emulator is installable
 * here (fake-gcs-server is a Go program, Google's testbench a Python one in Docker), so this is the honest next best:
 * Google's own client talks to it over HTTP exactly as it talks to storage.googleapis.com.
 */
public final class GcsServer implements AutoCloseable {

    /** One stored object. */
    private record StoredObject(byte[] content, long generation) {
        String md5Base64() {
            try {
                return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(content));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        String etag() {
            return "C" + Long.toString(generation, 36).toUpperCase() + "EAE=";
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLIENT_EMAIL = "reader@currents-test.iam.gserviceaccount.com";

    private final HttpServer server;
    private final KeyPair key;
    private final Map<String, TreeMap<String, StoredObject>> buckets = new ConcurrentHashMap<>();
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicLong> mediaGets = new ConcurrentHashMap<>();
    private final AtomicLong generations = new AtomicLong(1_700_000_000_000_000L);
    private volatile int pageSizeLimit = 1000;
    private final Set<String> deleteWhenListed = ConcurrentHashMap.newKeySet();

    private GcsServer() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        this.key = generator.generateKeyPair();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public static GcsServer start() {
        try {
            return new GcsServer();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the GCS test server", e);
        }
    }

    /** {@code http://127.0.0.1:<port>}, for a Bucket's spec.endpoint. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A service account key (the JSON Google issues) whose token endpoint is this server. */
    public String serviceAccountJson() {
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Map<String, String> json = new LinkedHashMap<>();
        json.put("type", "service_account");
        json.put("project_id", "currents-test");
        json.put("private_key_id", "0123456789abcdef");
        json.put("private_key", pem);
        json.put("client_email", CLIENT_EMAIL);
        json.put("client_id", "100000000000000000001");
        json.put("auth_uri", endpoint() + "/o/oauth2/auth");
        json.put("token_uri", endpoint() + "/token");
        try {
            return JSON.writeValueAsString(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Answers list requests with at most this many objects per page, whatever the client asks. */
    public GcsServer pageSize(int n) {
        this.pageSizeLimit = n;
        return this;
    }

    public void createBucket(String bucket) {
        buckets.putIfAbsent(bucket, new TreeMap<>());
    }

    public void put(String bucket, String name, String content) {
        TreeMap<String, StoredObject> objects = buckets.get(bucket);
        synchronized (objects) {
            objects.put(name, new StoredObject(content.getBytes(StandardCharsets.UTF_8), generations.incrementAndGet()));
        }
    }

    public void delete(String bucket, String name) {
        TreeMap<String, StoredObject> objects = buckets.get(bucket);
        synchronized (objects) {
            objects.remove(name);
        }
    }

    /**
     * Deletes {@code name} right after the next listing that includes it has been answered: a client that lists and then
     * downloads meets the object deleted in between.
     */
    public void deleteWhenListed(String bucket, String name) {
        deleteWhenListed.add(bucket + "/" + name);
    }

    /** The ETag this server gives the object now (the Bucket revision is computed from these). */
    public String etag(String bucket, String name) {
        TreeMap<String, StoredObject> objects = buckets.get(bucket);
        synchronized (objects) {
            return objects.get(name).etag();
        }
    }

    /** Request lines served so far ({@code GET /storage/v1/b/x/o?...}), token requests included. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** Media downloads served for {@code name}. */
    public long mediaGets(String name) {
        AtomicLong n = mediaGets.get(name);
        return n == null ? 0 : n.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            requests.add(exchange.getRequestMethod() + " " + path + (query == null ? "" : "?" + query));
            Map<String, String> params = params(query);
            if (path.equals("/token") && exchange.getRequestMethod().equals("POST")) {
                token(exchange);
                return;
            }
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !auth.startsWith("Bearer ") || !tokens.contains(auth.substring("Bearer ".length()))) {
                error(exchange, 401, "Anonymous caller does not have storage.objects.list access (no valid bearer token)");
                return;
            }
            String rest = path.startsWith("/download/storage/v1/b/") ? path.substring("/download/storage/v1/b/".length())
                    : path.startsWith("/storage/v1/b/") ? path.substring("/storage/v1/b/".length()) : null;
            if (rest == null || !exchange.getRequestMethod().equals("GET")) {
                error(exchange, 501, "not implemented by the test server: " + exchange.getRequestMethod() + " " + path);
                return;
            }
            int o = rest.indexOf("/o");
            String bucket = URLDecoder.decode(o < 0 ? rest : rest.substring(0, o), StandardCharsets.UTF_8);
            TreeMap<String, StoredObject> objects = buckets.get(bucket);
            if (objects == null) {
                error(exchange, 404, "The specified bucket does not exist.");
                return;
            }
            if (o < 0) {
                send(exchange, 200, Map.of("kind", "storage#bucket", "name", bucket, "id", bucket));
            } else if (rest.length() == o + 2) {
                list(exchange, bucket, objects, params);
            } else {
                String name = URLDecoder.decode(rest.substring(o + 3).replace("+", "%2B"), StandardCharsets.UTF_8);
                StoredObject object;
                synchronized (objects) {
                    object = objects.get(name);
                }
                if (object == null) {
                    error(exchange, 404, "No such object: " + bucket + "/" + name);
                } else if ("media".equals(params.get("alt"))) {
                    media(exchange, name, object);
                } else {
                    send(exchange, 200, metadata(bucket, name, object));
                }
            }
        } catch (RuntimeException e) {
            error(exchange, 500, String.valueOf(e));
        }
    }

    /** The OAuth 2.0 JWT bearer grant: the assertion must be signed by the service account's key. */
    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> form = params(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String assertion = form.get("assertion");
        if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(form.get("grant_type")) || assertion == null || !signedByKey(assertion)) {
            send(exchange, 400, Map.of("error", "invalid_grant", "error_description", "Invalid JWT Signature."));
            return;
        }
        String token = "ya29.test-" + UUID.randomUUID();
        tokens.add(token);
        send(exchange, 200, Map.of("access_token", token, "expires_in", 3600, "token_type", "Bearer"));
    }

    private boolean signedByKey(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            return false;
        }
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initVerify(key.getPublic());
            rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
            return rsa.verify(Base64.getUrlDecoder().decode(parts[2])) && claims.contains(CLIENT_EMAIL);
        } catch (Exception e) {
            return false;
        }
    }

    private void list(HttpExchange exchange, String bucket, TreeMap<String, StoredObject> objects, Map<String, String> params)
            throws IOException {
        String prefix = params.getOrDefault("prefix", "");
        int max = Math.min(pageSizeLimit, params.containsKey("maxResults") ? Integer.parseInt(params.get("maxResults")) : 1000);
        String after = params.get("pageToken");
        List<Map<String, Object>> items = new ArrayList<>();
        String next = null;
        synchronized (objects) {
            var tail = after == null ? objects.tailMap(prefix, true)
                    : objects.tailMap(new String(Base64.getUrlDecoder().decode(after), StandardCharsets.UTF_8), false);
            for (var e : tail.entrySet()) {
                if (!e.getKey().startsWith(prefix)) {
                    break;
                }
                if (items.size() == max) {
                    next = Base64.getUrlEncoder().encodeToString(items.get(items.size() - 1).get("name").toString().getBytes(StandardCharsets.UTF_8));
                    break;
                }
                items.add(metadata(bucket, e.getKey(), e.getValue()));
            }
            for (Map<String, Object> item : items) {
                if (deleteWhenListed.remove(bucket + "/" + item.get("name"))) {
                    objects.remove(item.get("name").toString());
                }
            }
        }
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("kind", "storage#objects");
        page.put("items", items);
        if (next != null) {
            page.put("nextPageToken", next);
        }
        send(exchange, 200, page);
    }

    private static Map<String, Object> metadata(String bucket, String name, StoredObject object) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", "storage#object");
        m.put("id", bucket + "/" + name + "/" + object.generation());
        m.put("name", name);
        m.put("bucket", bucket);
        m.put("generation", Long.toString(object.generation()));
        m.put("metageneration", "1");
        m.put("size", Integer.toString(object.content().length));
        m.put("md5Hash", object.md5Base64());
        m.put("etag", object.etag());
        m.put("contentType", "application/octet-stream");
        return m;
    }

    private void media(HttpExchange exchange, String name, StoredObject object) throws IOException {
        mediaGets.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet();
        byte[] content = object.content();
        int from = 0;
        String range = exchange.getRequestHeaders().getFirst("Range");
        if (range != null && range.startsWith("bytes=")) {
            String start = range.substring("bytes=".length(), range.indexOf('-'));
            from = Math.min(content.length, start.isEmpty() ? 0 : Integer.parseInt(start));
        }
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/octet-stream");
        headers.set("ETag", object.etag());
        headers.set("x-goog-generation", Long.toString(object.generation()));
        headers.set("x-goog-metageneration", "1");
        headers.set("x-goog-hash", "md5=" + object.md5Base64());
        headers.set("x-goog-stored-content-length", Integer.toString(content.length));
        int status = 200;
        if (range != null && from > 0) {
            status = 206;
            headers.set("Content-Range", "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
        }
        exchange.sendResponseHeaders(status, content.length - from == 0 ? -1 : content.length - from);
        exchange.getResponseBody().write(content, from, content.length - from);
    }

    private static Map<String, String> params(String query) {
        Map<String, String> params = new HashMap<>();
        if (query == null || query.isEmpty()) {
            return params;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            params.put(k, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    private static void error(HttpExchange exchange, int code, String message) throws IOException {
        send(exchange, code, Map.of("error", Map.of("code", code, "message", message,
                "errors", List.of(Map.of("message", message, "domain", "global", "reason", code == 404 ? "notFound" : "required")))));
    }

    private static void send(HttpExchange exchange, int code, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(code, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
