package io.currents.cli.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import io.currents.cli.output.Progress;
import io.currents.git.GitException;
import io.currents.git.GitTls;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The part of a Git hosting service's REST API that bootstrap uses, as fluxcd/go-git-providers uses it: find or create
 * the repository, give teams access, and register the deploy key. One subclass per provider; this class holds the
 * HTTP plumbing (token header, CA of {@code --ca-file}, JSON, errors that name the call and the provider's message).
 */
abstract class ProviderApi {

    /** What bootstrap asks for: the owner (user, organization, group or project), the repository and its visibility. */
    record RepositorySpec(String owner, String name, boolean personal, String visibility, boolean reconcile) {
    }

    /** A repository as the provider describes it: its id in API paths and its HTTPS and SSH clone URLs. */
    record Repository(String id, String displayName, String httpUrl, String sshUrl) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String base;
    private final Map<String, String> headers;
    private final HttpClient http;
    protected final Progress progress;

    ProviderApi(String base, Map<String, String> headers, String caCertificates, Progress progress) {
        this.base = base;
        this.headers = headers;
        this.progress = progress;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER);
        try {
            SSLContext tls = new GitTls(caCertificates, null, null).sslContext();
            if (tls != null) {
                builder.sslContext(tls);
            }
        } catch (GitException e) {
            throw new CliException("the CA certificates of --ca-file cannot be read: " + e.getMessage(), ExitCodes.USAGE, e);
        }
        this.http = builder.build();
    }

    /** The repository, created when it does not exist (and its visibility updated with {@code --reconcile}). */
    abstract Repository reconcileRepository(RepositorySpec spec);

    /** Gives each team ({@code name → permission}) access; an existing grant is left alone unless {@code reconcile}. */
    abstract void reconcileTeams(Repository repository, Map<String, String> teams, boolean reconcile);

    /**
     * Registers the deploy key {@code name}: created when missing, replaced when a key of that name differs (the
     * providers cannot edit a key in place), left alone when equal. Returns whether anything changed.
     */
    abstract boolean reconcileDeployKey(Repository repository, String name, String publicKey, boolean readWrite);

    /**
     * The deploy-key reconcile of GitHub, Gitea and GitLab, whose key lists share a shape: {@code id}, {@code title},
     * {@code key} and one boolean access field ({@code read_only} or {@code can_push}) set to {@code access}.
     */
    boolean reconcileKeys(String keysPath, String name, String publicKey, String accessField, boolean access) {
        for (JsonNode key : send("GET", keysPath, null)) {
            if (!name.equals(key.path("title").asText())) {
                continue;
            }
            if (keyMaterial(key.path("key").asText()).equals(keyMaterial(publicKey)) && key.path(accessField).asBoolean() == access) {
                return false;
            }
            send("DELETE", keysPath + "/" + key.path("id").asLong(), null);
        }
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("title", name);
        body.put("key", publicKey);
        body.put(accessField, access);
        send("POST", keysPath, body);
        return true;
    }

    /** GET; null when the provider answers 404. */
    JsonNode get(String path) {
        return call("GET", path, null, true);
    }

    JsonNode send(String method, String path, Object body) {
        return call(method, path, body, false);
    }

    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The first two fields of an OpenSSH public key line: algorithm and key, without the comment. */
    static String keyMaterial(String line) {
        String[] parts = line.trim().split("\\s+");
        return parts.length < 2 ? line.trim() : parts[0] + " " + parts[1];
    }

    /** An scp-like {@code git@host:owner/repo.git} as {@code ssh://git@host/owner/repo.git}; other URLs unchanged. */
    static String sshUrl(String url) {
        if (url == null || url.contains("://")) {
            return url;
        }
        int colon = url.indexOf(':');
        return colon < 0 ? url : "ssh://" + url.substring(0, colon) + "/" + url.substring(colon + 1);
    }

    private JsonNode call(String method, String path, Object body, boolean notFoundIsNull) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
                .header("Accept", "application/json");
        headers.forEach(request::header);
        try {
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status == 404 && notFoundIsNull) {
                return null;
            }
            if (status >= 300) {
                throw new CliException(method + " " + base + path + " answered " + status + messageOf(response.body())
                        + "; check the token's permissions and --owner/--repository", ExitCodes.FAILURE);
            }
            String text = response.body();
            return text == null || text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
        } catch (IOException e) {
            throw new CliException("cannot reach " + base + ": " + e.getMessage() + "; check --hostname (and --ca-file for a private CA)",
                    ExitCodes.FAILURE, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while calling " + base, ExitCodes.FAILURE, e);
        }
    }

    /** The provider's error message ({@code message}, GitLab's {@code error}, Bitbucket's {@code errors[].message}), short. */
    private static String messageOf(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            String message = node.path("message").isTextual() ? node.path("message").asText()
                    : node.path("error").isTextual() ? node.path("error").asText()
                    : node.path("errors").path(0).path("message").asText(null);
            if (message == null && node.path("message").isObject()) {
                message = node.path("message").toString();
            }
            return message == null ? "" : ": " + (message.length() > 300 ? message.substring(0, 300) + "…" : message);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
