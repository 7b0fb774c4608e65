package io.currents.cli.helm;

import io.currents.kustomize.ChartInflator;
import io.currents.kustomize.KustomizeException;
import io.currents.kustomize.yaml.YamlException;
import io.currents.kustomize.yaml.YamlReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.semver4j.Semver;

/**
 * {@code helm pull --untar} for charts a kustomization names by repository: a Helm repository
 * ({@code index.yaml} and the chart archive it points to) or an OCI registry ({@code oci://}), read
 * anonymously as kustomize's pull does (it runs Helm with an empty configuration). Downloads are bounded
 * in size and time, and archives may not write outside the chart home.
 */
public final class ChartPuller {
    private static final String HELM_LAYER = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";

    private final HttpClient http;
    private final Duration timeout;
    private final long maxBytes;

    public ChartPuller(Duration timeout, long maxBytes) {
        this.timeout = timeout;
        this.maxBytes = maxBytes;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    public void pull(ChartInflator.PullRequest r) {
        byte[] archive = r.repo().startsWith("oci://") ? fromRegistry(r) : fromRepository(r);
        try {
            Files.createDirectories(r.untarDir());
            HelmJavaChartInflator.untar(new ByteArrayInputStream(archive), r.untarDir(), 4 * maxBytes);
        } catch (IOException e) {
            throw new KustomizeException("pulling chart " + r.chart() + ": " + e.getMessage(), e);
        }
        if (!Files.isDirectory(r.untarDir().resolve(r.chart()))) {
            throw new KustomizeException("pulling chart " + r.chart() + " from " + r.repo() + ": the archive has no '"
                    + r.chart() + "' directory");
        }
    }

    private byte[] fromRepository(ChartInflator.PullRequest r) {
        String base = r.repo().endsWith("/") ? r.repo() : r.repo() + "/";
        Object index;
        try {
            index = YamlReader.read(new String(get(base + "index.yaml", null, null), StandardCharsets.UTF_8), false);
        } catch (YamlException e) {
            throw new KustomizeException("chart repository " + r.repo() + ": invalid index.yaml: " + e.getMessage());
        }
        List<Object> entries = index instanceof Map<?, ?> m && m.get("entries") instanceof Map<?, ?> em
                && em.get(r.chart()) instanceof List<?> l ? new ArrayList<>(l) : null;
        if (entries == null || entries.isEmpty()) {
            throw new KustomizeException("chart \"" + r.chart() + "\" not found in " + r.repo() + " repository");
        }
        Map<?, ?> chosen = null;
        Semver best = null;
        for (Object e : entries) {
            if (!(e instanceof Map<?, ?> em) || !(em.get("version") instanceof String v)) {
                continue;
            }
            Semver sv = Semver.coerce(v);
            if (sv == null || !matches(v, sv, r.version())) {
                continue;
            }
            if (best == null || sv.isGreaterThan(best)) {
                best = sv;
                chosen = em;
            }
        }
        if (chosen == null || !(chosen.get("urls") instanceof List<?> urls) || urls.isEmpty()) {
            throw new KustomizeException("chart \"" + r.chart() + "\"" + (r.version() == null ? ""
                    : " version \"" + r.version() + "\"") + " not found in " + r.repo() + " repository");
        }
        String url;
        try {
            url = URI.create(base).resolve(String.valueOf(urls.get(0))).toString();
        } catch (IllegalArgumentException e) {
            throw new KustomizeException("chart \"" + r.chart() + "\" in " + r.repo() + " has an invalid URL " + urls.get(0));
        }
        return get(url, null, null);
    }

    /** Helm's version choice: an exact version, a semver constraint, or (none) the newest stable release. */
    private static boolean matches(String text, Semver v, String wanted) {
        if (wanted == null || wanted.isEmpty()) {
            return v.getPreRelease().isEmpty();
        }
        if (wanted.equals(text) || wanted.equals("v" + text)) {
            return true;
        }
        try {
            return v.satisfies(wanted);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private byte[] fromRegistry(ChartInflator.PullRequest r) {
        String ref = r.repo().substring("oci://".length());
        while (ref.endsWith("/")) {
            ref = ref.substring(0, ref.length() - 1);
        }
        int slash = ref.indexOf('/');
        if (slash < 0) {
            throw new KustomizeException("invalid OCI reference " + r.repo());
        }
        String host = ref.substring(0, slash);
        String repository = ref.substring(slash + 1) + "/" + r.chart();
        String scheme = host.startsWith("localhost") || host.startsWith("127.0.0.1") ? "http" : "https";
        String api = scheme + "://" + host + "/v2/" + repository;
        String tag = ociTag(r, api, repository).replace('+', '_');
        String manifest = new String(get(api + "/manifests/" + tag, "application/vnd.oci.image.manifest.v1+json", repository),
                StandardCharsets.UTF_8);
        String digest = null;
        if (parseJson(manifest, "manifest of " + r.repo() + "/" + r.chart()) instanceof Map<?, ?> mf
                && mf.get("layers") instanceof List<?> layers) {
            for (Object l : layers) {
                if (l instanceof Map<?, ?> layer && HELM_LAYER.equals(layer.get("mediaType"))
                        && layer.get("digest") instanceof String d && d.matches("[a-z0-9]+:[a-f0-9]+")) {
                    digest = d;
                }
            }
        }
        if (digest == null) {
            throw new KustomizeException(r.repo() + "/" + r.chart() + ":" + r.version() + " is not a Helm chart");
        }
        return get(api + "/blobs/" + digest, null, repository);
    }

    /**
     * The version to fetch, as Helm resolves it for OCI: an exact version as given, else the newest tag meeting
     * the constraint (none: the newest stable version); tags spell a version's {@code +} as {@code _}.
     */
    private String ociTag(ChartInflator.PullRequest r, String api, String repository) {
        String wanted = r.version() == null ? "" : r.version();
        if (!wanted.isEmpty() && Semver.parse(wanted.startsWith("v") ? wanted.substring(1) : wanted) != null) {
            return wanted;
        }
        Object tags = parseJson(new String(get(api + "/tags/list", null, repository), StandardCharsets.UTF_8), "tag list");
        String best = null;
        Semver bestVersion = null;
        if (tags instanceof Map<?, ?> m && m.get("tags") instanceof List<?> list) {
            for (Object t : list) {
                String text = String.valueOf(t).replace('_', '+');
                Semver v = Semver.parse(text.startsWith("v") ? text.substring(1) : text);
                if (v != null && matches(text, v, wanted) && (bestVersion == null || v.isGreaterThan(bestVersion))) {
                    best = text;
                    bestVersion = v;
                }
            }
        }
        if (best == null) {
            throw new KustomizeException("could not locate a version matching " + (wanted.isEmpty() ? "*" : wanted)
                    + " in " + r.repo() + "/" + r.chart());
        }
        return best;
    }

    private String token;

    /** JSON is YAML: registry documents are read with the engine's (bounded) YAML reader. */
    private static Object parseJson(String text, String what) {
        try {
            return YamlReader.read(text, false);
        } catch (YamlException e) {
            throw new KustomizeException("invalid " + what + ": " + e.getMessage());
        }
    }

    /** A GET within the size limit; registries' anonymous bearer tokens are fetched when asked for. */
    private byte[] get(String url, String accept, String repository) {
        try {
            HttpResponse<InputStream> resp = send(url, accept);
            if (resp.statusCode() == 401 && repository != null) {
                resp.body().close();
                token = anonymousToken(resp.headers().firstValue("WWW-Authenticate").orElse(""), repository);
                resp = send(url, accept);
            }
            try (InputStream in = resp.body()) {
                if (resp.statusCode() / 100 != 2) {
                    throw new KustomizeException("failed to fetch " + url + " : " + resp.statusCode());
                }
                byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
                if (data.length > maxBytes) {
                    throw new KustomizeException(url + " is larger than " + maxBytes + " bytes");
                }
                return data;
            }
        } catch (IOException e) {
            throw new KustomizeException("failed to fetch " + url + " : " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()), e);
        } catch (IllegalArgumentException e) {
            throw new KustomizeException("invalid chart URL " + url + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KustomizeException("interrupted fetching " + url, e);
        }
    }

    private HttpResponse<InputStream> send(String url, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET();
        if (accept != null) {
            b.header("Accept", accept);
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    private String anonymousToken(String challenge, String repository) throws IOException, InterruptedException {
        Matcher realm = Pattern.compile("realm=\"([^\"]+)\"").matcher(challenge);
        Matcher service = Pattern.compile("service=\"([^\"]+)\"").matcher(challenge);
        if (!challenge.startsWith("Bearer") || !realm.find()) {
            throw new KustomizeException("registry requires credentials: kustomize pulls charts anonymously");
        }
        String url = realm.group(1) + (realm.group(1).contains("?") ? "&" : "?") + "scope="
                + URLEncoder.encode("repository:" + repository + ":pull", StandardCharsets.UTF_8)
                + (service.find() ? "&service=" + URLEncoder.encode(service.group(1), StandardCharsets.UTF_8) : "");
        HttpResponse<InputStream> resp;
        String body;
        try {
            resp = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (IllegalArgumentException e) {
            throw new KustomizeException("registry token realm " + realm.group(1) + " is not a valid URL");
        }
        try (InputStream in = resp.body()) {
            body = new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
        }
        Object token = resp.statusCode() / 100 == 2
                && parseJson(body, "token response") instanceof Map<?, ?> t
                ? (t.get("token") != null ? t.get("token") : t.get("access_token")) : null;
        if (!(token instanceof String tok) || tok.isEmpty()) {
            throw new KustomizeException("registry refused an anonymous token: " + resp.statusCode());
        }
        return tok;
    }
}
