package io.currents.kustomize;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import io.currents.git.GitAuth;
import io.currents.git.GitCheckoutRequest;
import io.currents.git.GitException;
import io.currents.git.GitFetcher;
import io.currents.git.GitReference;
import io.currents.git.GitUrl;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.transport.URIish;

/**
 * Fetches the remote resources of one build: HTTP(S) files with {@code java.net.http}, Git repositories
 * with the {@code git} module's fetcher into temporary directories (shallow where the ref allows, paths
 * and symlinks kept inside), all within the limits of a {@link RemoteResources}. Closing it deletes every
 * clone. A clone of the same URL, ref and submodule setting is made once per build.
 */
final class RemoteFetcher implements AutoCloseable {
    private final RemoteResources config;
    private final List<Path> tempDirs = new ArrayList<>();
    private final Map<String, Path> clones = new HashMap<>();
    private final GitFetcher fetcher;
    private HttpClient http;

    RemoteFetcher(RemoteResources config) {
        this.config = config;
        this.fetcher = config.destinationCheck() == null ? GitFetcher.anyUrl(config.sshDirectory())
                : GitFetcher.anyUrl(config.sshDirectory()).withDestinationCheck(config.destinationCheck());
    }

    RemoteResources config() {
        return config;
    }

    /** An HTTP answer: the status, and the body when the status is 2xx. */
    record Download(int status, byte[] body) {
        boolean ok() {
            return status >= 200 && status <= 299;
        }
    }

    /** Thrown (as a cause) when the body grows over the limit. */
    private static final class TooLarge extends IOException {
        TooLarge() {
            super("over the limit");
        }
    }

    static boolean isHttpUrl(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        return p.startsWith("http://") || p.startsWith("https://");
    }

    /** GETs a URL; connection failures, time-outs and bodies over {@code maxBytes} fail with the URL named. */
    Download download(String url, long maxBytes) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new KustomizeException("fetching '" + url + "': not a valid URL: " + e.getMessage());
        }
        checkDestination("fetching '" + url + "'", uri.getHost());
        Duration timeout = config.timeout();
        if (http == null) {
            http = HttpClient.newBuilder()
                    .connectTimeout(timeout.compareTo(Duration.ofSeconds(30)) < 0 ? timeout : Duration.ofSeconds(30))
                    // a redirect could lead where the request itself may not go
                    .followRedirects(config.destinationCheck() == null ? HttpClient.Redirect.NORMAL : HttpClient.Redirect.NEVER)
                    .build();
        }
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri).GET().timeout(timeout)
                .header("User-Agent", "currents-kustomize");
        if (uri.getRawUserInfo() != null) {
            // like Go's http.Client: credentials in the URL become basic authentication
            String[] ui = uri.getRawUserInfo().split(":", 2);
            String user = percentDecode(ui[0]);
            String pass = ui.length > 1 ? percentDecode(ui[1]) : "";
            rb.header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                    (user + ":" + pass).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        HttpRequest req = rb.build();
        CompletableFuture<HttpResponse<byte[]>> f = http.sendAsync(req, info -> {
            if (info.statusCode() < 200 || info.statusCode() > 299) {
                return HttpResponse.BodySubscribers.replacing(null);
            }
            long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
            return new LimitedBody(maxBytes, declared);
        });
        try {
            HttpResponse<byte[]> resp = f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Download(resp.statusCode(), resp.body());
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new KustomizeException("fetching '" + url + "': no complete response within " + seconds(timeout));
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new KustomizeException("fetching '" + url + "': interrupted");
        } catch (ExecutionException | CancellationException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            while (c.getCause() != null && !(c instanceof TooLarge)) {
                if (c instanceof ConnectException || c instanceof UnresolvedAddressException) {
                    break;
                }
                c = c.getCause();
            }
            if (c instanceof TooLarge) {
                throw new KustomizeException("fetching '" + url + "': the response is over the limit of " + maxBytes
                        + " bytes");
            }
            if (c instanceof HttpConnectTimeoutException) {
                throw new KustomizeException("fetching '" + url + "': cannot connect to " + uri.getHost()
                        + ": timed out");
            }
            if (c instanceof HttpTimeoutException) {
                throw new KustomizeException("fetching '" + url + "': no response within " + seconds(timeout));
            }
            if (c instanceof ConnectException || c instanceof UnresolvedAddressException) {
                throw new KustomizeException("fetching '" + url + "': cannot connect to " + uri.getHost()
                        + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + ": "
                        + (c instanceof UnresolvedAddressException ? "unknown host" : describe(c)));
            }
            throw new KustomizeException("fetching '" + url + "': " + describe(c));
        }
    }

    private static String percentDecode(String s) {
        return java.net.URLDecoder.decode(s.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Reads a response body, cancelling it as soon as it is larger than the limit. */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final long max;
        private final long declared;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        LimitedBody(long max, long declared) {
            this.max = max;
            this.declared = declared;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (declared > max) {
                s.cancel();
                result.completeExceptionally(new TooLarge());
                return;
            }
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer b : items) {
                if (buf.size() + (long) b.remaining() > max) {
                    subscription.cancel();
                    result.completeExceptionally(new TooLarge());
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                buf.writeBytes(chunk);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(buf.toByteArray());
        }
    }

    /**
     * Clones the repository of {@code spec} at its ref into a temporary directory and returns that
     * directory (the clone's root, real path).
     */
    Path clone(RepoSpec spec) {
        String key = spec.cloneUrl() + "\n" + spec.ref() + "\n" + spec.submodules();
        Path done = clones.get(key);
        if (done != null) {
            return done;
        }
        String where = "cloning '" + spec.cloneUrl() + "'" + refText(spec);
        try {
            checkDestination(where, new URIish(spec.cloneUrl()).getHost());
        } catch (java.net.URISyntaxException e) {
            // the clone reports the URL itself
        }
        if (GitUrl.isSsh(spec.cloneUrl()) && config.sshDirectory() == null) {
            throw new KustomizeException(where + ": an SSH remote needs the keys and known_hosts of an SSH directory "
                    + "(RemoteResources.withSshDirectory), and none is configured");
        }
        Path dir;
        try {
            dir = (config.workDir() == null ? Files.createTempDirectory("kustomize-git-")
                    : Files.createTempDirectory(Files.createDirectories(config.workDir()), "kustomize-git-")).toRealPath();
        } catch (IOException e) {
            throw new KustomizeException("cloning '" + spec.cloneUrl() + "': cannot create a temporary directory: "
                    + Loader.reason(e));
        }
        tempDirs.add(dir);
        Duration limit = spec.timeout().compareTo(config.timeout()) < 0 ? spec.timeout() : config.timeout();
        Instant deadline = Instant.now().plus(limit);
        GitCheckoutRequest request = GitCheckoutRequest.of(spec.cloneUrl(), null)
                .withAuth(credentialsOf(spec.cloneUrl()))
                .withTimeout(limit)
                .withSubmodules(spec.submodules())
                .withMaxSize(config.maxCloneBytes())
                .withMaxFetchSize(config.maxCloneBytes());
        try {
            GitReference ref = reference(spec, fetcher.remoteRefs(request));
            Duration left = Duration.between(Instant.now(), deadline);
            if (left.isNegative() || left.isZero()) {
                throw new KustomizeException(where + ": took longer than " + seconds(limit) + TIMEOUT_HINT);
            }
            fetcher.checkout(request.withRef(ref).withTimeout(left), dir);
        } catch (GitException e) {
            deleteQuietly(dir);
            String message = e.getMessage();
            throw new KustomizeException(where + ": " + message + (message.contains("timed out") ? TIMEOUT_HINT : ""));
        } catch (KustomizeException e) {
            deleteQuietly(dir);
            throw e;
        }
        clones.put(key, dir);
        return dir;
    }

    private static final String TIMEOUT_HINT = " (raise it with ?timeout= in the URL, within the configured limit)";

    /**
     * kustomize's reading of {@code ?ref=}: the first advertised reference among the name itself,
     * {@code refs/<ref>}, a tag, a branch or a remote-tracking name; else a (possibly abbreviated) commit id.
     */
    private static GitReference reference(RepoSpec spec, Map<String, String> advertised) {
        String want = spec.refOrHead();
        for (String candidate : new String[] {want, "refs/" + want, Constants.R_TAGS + want, Constants.R_HEADS + want,
                Constants.R_REMOTES + want, Constants.R_REMOTES + want + "/HEAD"}) {
            if (advertised.containsKey(candidate)) {
                return GitReference.name(candidate);
            }
        }
        if (want.equals(Constants.HEAD)) {
            throw new KustomizeException("cloning '" + spec.cloneUrl() + "': the repository has no HEAD; name a "
                    + "branch or tag with ?ref=");
        }
        if (want.matches("[0-9a-fA-F]{4,40}")) {
            return GitReference.commit(want, null);
        }
        throw new KustomizeException("cloning '" + spec.cloneUrl() + "': ref '" + want
                + "' is not a branch, tag or commit of the repository");
    }

    /** Fails when the configured destination check refuses {@code host}. */
    private void checkDestination(String what, String host) {
        String why = config.destinationCheck() == null || host == null ? null : config.destinationCheck().apply(host);
        if (why != null) {
            throw new KustomizeException(what + ": refused, " + why);
        }
    }

    private static String refText(RepoSpec spec) {
        return spec.ref().isEmpty() ? "" : " at ref '" + spec.ref() + "'";
    }

    /** Like git, credentials in the URL ({@code https://user:token@host/...}) are used for basic authentication. */
    private static GitAuth credentialsOf(String url) {
        try {
            URIish u = new URIish(url);
            if (u.getUser() != null && u.getPass() != null && !GitUrl.isSsh(url)) {
                return GitAuth.basic(u.getUser(), u.getPass());
            }
        } catch (java.net.URISyntaxException e) {
            // the fetch reports the URL itself
        }
        return GitAuth.none();
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }

    private static void deleteQuietly(Path dir) {
        // best effort: a temporary directory left behind is not worth failing the build for
        io.currents.git.Trees.deleteQuietly(dir);
    }

    @Override
    public void close() {
        for (Path d : tempDirs) {
            deleteQuietly(d);
        }
        tempDirs.clear();
        clones.clear();
        if (http != null) {
            http.close();
            http = null;
        }
    }
}
