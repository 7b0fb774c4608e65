package io.currents.cli.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.currents.testkit.registry.TestCertificates;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTPS server on loopback standing in for a Git hosting service's REST API in bootstrap tests. Each fake
 * provider registers the documented routes it implements; every request is logged ({@code METHOD /path?query}),
 * its authentication header and JSON body are checked, and anything not documented (unknown route, wrong header,
 * a body field that is missing or unexpected) is recorded as a violation and answered 400, so the CLI fails too.
 */
final class ProviderServer implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    /** One request: method, raw path, raw query (or null), the path pattern's groups and the parsed JSON body (or null). */
    record Request(String method, String path, String query, List<String> groups, JsonNode body) {
        String group(int i) {
            return groups.get(i - 1);
        }
    }

    /** An answer: status and a JSON-serialisable body (null for none). */
    record Response(int status, Object body) {
        static Response ok(Object body) {
            return new Response(200, body);
        }

        static Response notFound() {
            return new Response(404, java.util.Map.of("message", "Not Found"));
        }
    }

    interface Handler {
        Response handle(Request request);
    }

    private record Route(String method, Pattern path, Handler handler) {
    }

    private final HttpsServer server;
    private final String authHeader;
    private final String authValue;
    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();

    /** A server answering with the certificate of {@code tls}, requiring {@code authHeader: authValue} on every request. */
    ProviderServer(TestCertificates.Pair tls, String authHeader, String authValue) {
        this.authHeader = authHeader;
        this.authValue = authValue;
        try {
            server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setHttpsConfigurator(new HttpsConfigurator(TestCertificates.serving(tls)));
        server.createContext("/", this::handle);
        server.start();
    }

    /** {@code 127.0.0.1:<port>}: what --hostname gets. */
    String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Serves {@code method} on paths matching the regular expression {@code path} (the whole raw path). */
    void on(String method, String path, Handler handler) {
        routes.add(new Route(method, Pattern.compile(path), handler));
    }

    /** Every request so far, as {@code METHOD /path?query}. */
    List<String> log() {
        return List.copyOf(log);
    }

    void clearLog() {
        log.clear();
    }

    /** What did not follow the documented API. */
    List<String> violations() {
        return List.copyOf(violations);
    }

    /** Records a violation (for the fakes' body checks) and returns the 400 answer to give. */
    Response violation(String what) {
        violations.add(what);
        return new Response(400, java.util.Map.of("message", what));
    }

    /** Checks that {@code body} is an object holding exactly {@code required} and possibly {@code optional} fields. */
    Response checkFields(Request request, List<String> required, List<String> optional) {
        if (request.body() == null || !request.body().isObject()) {
            return violation(request.method() + " " + request.path() + ": no JSON object body");
        }
        List<String> names = new ArrayList<>();
        request.body().fieldNames().forEachRemaining(names::add);
        for (String name : required) {
            if (!names.contains(name)) {
                return violation(request.method() + " " + request.path() + ": missing field " + name);
            }
        }
        for (String name : names) {
            if (!required.contains(name) && !optional.contains(name)) {
                return violation(request.method() + " " + request.path() + ": unexpected field " + name);
            }
        }
        return null;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        String query = exchange.getRequestURI().getRawQuery();
        log.add(method + " " + path + (query == null ? "" : "?" + query));
        byte[] raw = exchange.getRequestBody().readAllBytes();
        Response response;
        if (!authValue.equals(exchange.getRequestHeaders().getFirst(authHeader))) {
            violations.add(method + " " + path + ": header " + authHeader + " missing or wrong");
            response = new Response(401, java.util.Map.of("message", "Bad credentials"));
        } else {
            response = route(method, path, query, raw, exchange.getRequestHeaders().getFirst("Content-Type"));
        }
        byte[] out = response.body() == null ? new byte[0] : JSON.writeValueAsBytes(response.body());
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(response.status(), out.length == 0 ? -1 : out.length);
        if (out.length > 0) {
            exchange.getResponseBody().write(out);
        }
        exchange.close();
    }

    private Response route(String method, String path, String query, byte[] raw, String contentType) {
        for (Route route : routes) {
            Matcher m = route.path().matcher(path);
            if (route.method().equals(method) && m.matches()) {
                JsonNode body = null;
                if (raw.length > 0) {
                    if (contentType == null || !contentType.startsWith("application/json")) {
                        return violation(method + " " + path + ": body without Content-Type application/json");
                    }
                    try {
                        body = JSON.readTree(new String(raw, StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        return violation(method + " " + path + ": body is not JSON");
                    }
                }
                List<String> groups = new ArrayList<>();
                for (int i = 1; i <= m.groupCount(); i++) {
                    groups.add(m.group(i));
                }
                return route.handler().handle(new Request(method, path, query, groups, body));
            }
        }
        return violation("undocumented or unexpected request " + method + " " + path);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
