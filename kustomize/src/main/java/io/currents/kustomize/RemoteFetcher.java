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
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.dircache.DirCacheCheckout;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.submodule.SubmoduleWalk;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.transport.sshd.JGitKeyCache;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Fetches the remote resources of one build: HTTP(S) files with {@code java.net.http}, Git repositories
 * with JGit into temporary directories (shallow where the server allows), all within the limits of a
 * {@link RemoteResources}. Closing it deletes every clone. A clone of the same URL, ref and submodule
 * setting is made once per build.
 */
final class RemoteFetcher implements AutoCloseable {
    private static final String TARGET_REF = "refs/kustomize/target";

    private final RemoteResources config;
    private final List<Path> tempDirs = new ArrayList<>();
    private final Map<String, Path> clones = new HashMap<>();
    private HttpClient http;
    private SshdSessionFactory ssh;

    RemoteFetcher(RemoteResources config) {
        this.config = config;
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
        Duration timeout = config.timeout();
        if (http == null) {
            http = HttpClient.newBuilder()
                    .connectTimeout(timeout.compareTo(Duration.ofSeconds(30)) < 0 ? timeout : Duration.ofSeconds(30))
                    .followRedirects(HttpClient.Redirect.NORMAL)
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
        Duration limit = spec.timeout().compareTo(config.timeout()) < 0 ? spec.timeout() : config.timeout();
        Path dir;
        try {
            dir = (config.workDir() == null ? Files.createTempDirectory("kustomize-git-")
                    : Files.createTempDirectory(Files.createDirectories(config.workDir()), "kustomize-git-")).toRealPath();
        } catch (IOException e) {
            throw new KustomizeException("cloning '" + spec.cloneUrl() + "': cannot create a temporary directory: "
                    + Loader.reason(e));
        }
        tempDirs.add(dir);
        Watchdog dog = new Watchdog(dir, config.maxCloneBytes(), System.nanoTime() + limit.toNanos(), limit);
        Thread watcher = Thread.ofVirtual().start(dog);
        try {
            new Clone(spec, dir, dog).run();
        } catch (KustomizeException e) {
            deleteQuietly(dir);
            throw e;
        } catch (GitAPIException | IOException | RuntimeException e) {
            deleteQuietly(dir);
            String why = dog.reason();
            String problem = gitProblem(e);
            if (why == null && problem.toLowerCase(Locale.ROOT).matches(".*(time out|timed out|timeout).*")) {
                // JGit's own I/O timeout, set to the time left, fired first
                why = dog.timeoutText();
            }
            throw new KustomizeException("cloning '" + spec.cloneUrl() + "'" + refText(spec) + ": "
                    + (why != null ? why : problem), e);
        } finally {
            watcher.interrupt();
        }
        if (dog.reason() != null) {
            deleteQuietly(dir);
            throw new KustomizeException("cloning '" + spec.cloneUrl() + "'" + refText(spec) + ": " + dog.reason());
        }
        clones.put(key, dir);
        return dir;
    }

    private static String refText(RepoSpec spec) {
        return spec.ref().isEmpty() ? "" : " at ref '" + spec.ref() + "'";
    }

    /** One clone: init, fetch the ref (shallow where possible), check the size, check out, submodules. */
    private final class Clone {
        private final RepoSpec spec;
        private final Path dir;
        private final Watchdog dog;
        private final CredentialsProvider credentials;

        Clone(RepoSpec spec, Path dir, Watchdog dog) {
            this.spec = spec;
            this.dir = dir;
            this.dog = dog;
            this.credentials = credentialsOf(spec.cloneUrl());
        }

        void run() throws GitAPIException, IOException {
            try (Git git = Git.init().setDirectory(dir.toFile()).call()) {
                Repository repo = git.getRepository();
                StoredConfig cfg = repo.getConfig();
                // submodules with relative URLs resolve against origin, as with git
                cfg.setString("remote", "origin", "url", spec.cloneUrl());
                cfg.save();
                ObjectId commit = fetch(git);
                try (RevWalk walk = new RevWalk(repo)) {
                    RevCommit c = walk.parseCommit(commit);
                    checkSize(repo, c);
                    DirCacheCheckout co = new DirCacheCheckout(repo, repo.lockDirCache(), c.getTree());
                    co.setFailOnConflict(true);
                    co.checkout();
                    RefUpdate head = repo.updateRef(Constants.HEAD, true);
                    head.setNewObjectId(c);
                    head.forceUpdate();
                }
                dog.check();
                if (spec.submodules()) {
                    updateSubmodules(git);
                }
            }
        }

        private int ioTimeout() {
            return (int) Math.max(1, TimeUnit.NANOSECONDS.toSeconds(dog.deadline - System.nanoTime()) + 1);
        }

        /** Fetches the ref into {@link #TARGET_REF} and answers the commit it points at. */
        private ObjectId fetch(Git git) throws GitAPIException, IOException {
            Collection<Ref> advertised = git.lsRemote().setRemote(spec.cloneUrl()).setCredentialsProvider(credentials)
                    .setTransportConfigCallback(transportConfig()).setTimeout(ioTimeout()).call();
            dog.check();
            String want = spec.refOrHead();
            String full = null;
            for (String candidate : new String[] {want, "refs/" + want, Constants.R_TAGS + want,
                    Constants.R_HEADS + want, Constants.R_REMOTES + want, Constants.R_REMOTES + want + "/HEAD"}) {
                for (Ref r : advertised) {
                    if (r.getName().equals(candidate)) {
                        full = candidate;
                        break;
                    }
                }
                if (full != null) {
                    break;
                }
            }
            Repository repo = git.getRepository();
            if (full != null) {
                fetch(git, new RefSpec("+" + full + ":" + TARGET_REF), true);
            } else if (want.equals("HEAD")) {
                throw new KustomizeException("cloning '" + spec.cloneUrl() + "': the repository has no HEAD; name a "
                        + "branch or tag with ?ref=");
            } else if (want.matches("[0-9a-fA-F]{4,40}")) {
                boolean fetched = false;
                if (want.length() == 40) {
                    ObjectId id = ObjectId.fromString(want);
                    try {
                        fetch(git, new RefSpec("+" + id.name() + ":" + TARGET_REF), true);
                        if (repo.getObjectDatabase().has(id)) {
                            RefUpdate u = repo.updateRef(TARGET_REF);
                            u.setNewObjectId(id);
                            u.forceUpdate();
                            fetched = true;
                        }
                    } catch (GitAPIException | JGitInternalException e) {
                        dog.check();
                        // the server does not hand out unadvertised commits: fetch its branches and tags instead
                    }
                }
                if (!fetched) {
                    fetch(git, new RefSpec("+refs/heads/*:refs/kustomize/heads/*"), false,
                            new RefSpec("+refs/tags/*:refs/kustomize/tags/*"));
                    ObjectId id = repo.resolve(want + "^{commit}");
                    if (id == null) {
                        throw new KustomizeException("cloning '" + spec.cloneUrl() + "': ref '" + want
                                + "' is not a branch, tag or commit of the repository");
                    }
                    RefUpdate u = repo.updateRef(TARGET_REF);
                    u.setNewObjectId(id);
                    u.forceUpdate();
                }
            } else {
                throw new KustomizeException("cloning '" + spec.cloneUrl() + "': ref '" + want
                        + "' is not a branch, tag or commit of the repository");
            }
            dog.check();
            Ref target = repo.exactRef(TARGET_REF);
            if (target == null) {
                throw new KustomizeException("cloning '" + spec.cloneUrl() + "': ref '" + want + "' was not fetched");
            }
            return target.getObjectId();
        }

        private void fetch(Git git, RefSpec spec0, boolean shallow, RefSpec... more) throws GitAPIException {
            List<RefSpec> specs = new ArrayList<>();
            specs.add(spec0);
            specs.addAll(List.of(more));
            var cmd = git.fetch().setRemote(spec.cloneUrl()).setRefSpecs(specs).setTagOpt(TagOpt.NO_TAGS)
                    .setCredentialsProvider(credentials).setTransportConfigCallback(transportConfig())
                    .setTimeout(ioTimeout()).setProgressMonitor(dog);
            if (shallow) {
                cmd.setDepth(1);
            }
            cmd.call();
        }

        /** The objects received plus the files the checkout would write must fit in the clone limit. */
        private void checkSize(Repository repo, RevCommit c) throws IOException {
            long total = dog.measure();
            try (TreeWalk tw = new TreeWalk(repo); ObjectReader reader = repo.newObjectReader()) {
                tw.addTree(c.getTree());
                tw.setRecursive(true);
                while (tw.next()) {
                    if (tw.getFileMode(0).getObjectType() == Constants.OBJ_BLOB) {
                        total += reader.getObjectSize(tw.getObjectId(0), Constants.OBJ_BLOB);
                        if (total > config.maxCloneBytes()) {
                            throw new KustomizeException("cloning '" + spec.cloneUrl() + "'" + refText(spec)
                                    + ": the repository is over the limit of " + config.maxCloneBytes() + " bytes");
                        }
                    }
                }
            }
        }

        private void updateSubmodules(Git git) throws GitAPIException, IOException {
            if (!Files.exists(dir.resolve(".gitmodules"))) {
                return;
            }
            git.submoduleInit().call();
            git.submoduleUpdate().setCredentialsProvider(credentials).setTransportConfigCallback(transportConfig())
                    .setTimeout(ioTimeout())
                    .setProgressMonitor(dog).call();
            dog.check();
            try (SubmoduleWalk walk = SubmoduleWalk.forIndex(git.getRepository())) {
                while (walk.next()) {
                    try (Repository sub = walk.getRepository()) {
                        if (sub != null && Files.exists(sub.getWorkTree().toPath().resolve(".gitmodules"))) {
                            try (Git subGit = new Git(sub)) {
                                updateSubmodules(subGit);
                            }
                        }
                    }
                }
            }
        }
    }

    /** Points ssh transports at the configured SSH directory (JGit's default session factory reads ~/.ssh). */
    private TransportConfigCallback transportConfig() {
        if (config.sshDirectory() == null) {
            return t -> { };
        }
        return t -> {
            if (t instanceof SshTransport st) {
                if (ssh == null) {
                    java.io.File dir = config.sshDirectory().toFile();
                    ssh = new SshdSessionFactoryBuilder().setHomeDirectory(dir.getAbsoluteFile().getParentFile())
                            .setSshDirectory(dir).build(new JGitKeyCache());
                }
                st.setSshSessionFactory(ssh);
            }
        };
    }

    private static CredentialsProvider credentialsOf(String url) {
        try {
            URIish u = new URIish(url);
            if (u.getUser() != null && u.getPass() != null) {
                return new UsernamePasswordCredentialsProvider(u.getUser(), u.getPass());
            }
        } catch (java.net.URISyntaxException e) {
            // JGit reports the URL itself when it connects
        }
        return null;
    }

    /**
     * Measures the clone directory while Git writes it and cancels the transfer (through JGit's progress
     * monitor) when it grows over the limit or the time is up.
     */
    private static final class Watchdog implements Runnable, ProgressMonitor {
        private final Path dir;
        private final long maxBytes;
        final long deadline;
        private final Duration limit;
        private final AtomicReference<String> reason = new AtomicReference<>();
        private final AtomicLong size = new AtomicLong();

        Watchdog(Path dir, long maxBytes, long deadline, Duration limit) {
            this.dir = dir;
            this.maxBytes = maxBytes;
            this.deadline = deadline;
            this.limit = limit;
        }

        @Override
        public void run() {
            while (!Thread.currentThread().isInterrupted() && reason.get() == null) {
                measure();
                timeCheck();
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        long measure() {
            long[] total = {0};
            try {
                Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        total[0] += attrs.size();
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException exc) {
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                // the directory is being written; the next round measures again
            }
            size.set(total[0]);
            if (total[0] > maxBytes) {
                reason.compareAndSet(null, "the clone is over the limit of " + maxBytes + " bytes");
            }
            return total[0];
        }

        private void timeCheck() {
            if (System.nanoTime() - deadline > 0) {
                reason.compareAndSet(null, timeoutText());
            }
        }

        String timeoutText() {
            return "took longer than " + seconds(limit) + " (raise it with ?timeout= in the URL, within the "
                    + "configured limit)";
        }

        String reason() {
            return reason.get();
        }

        /** Stops the clone here when the watchdog has given up on it. */
        void check() {
            timeCheck();
            String r = reason.get();
            if (r != null) {
                throw new CloneStopped(r);
            }
        }

        @Override
        public boolean isCancelled() {
            timeCheck();
            return reason.get() != null;
        }

        @Override
        public void start(int totalTasks) {
        }

        @Override
        public void beginTask(String title, int totalWork) {
        }

        @Override
        public void update(int completed) {
        }

        @Override
        public void endTask() {
        }

        @Override
        public void showDuration(boolean enabled) {
        }
    }

    private static final class CloneStopped extends RuntimeException {
        CloneStopped(String reason) {
            super(reason, null, false, false);
        }
    }

    /** A one-line account of a Git failure: the transport's own message, which names the URL. */
    private static String gitProblem(Throwable e) {
        Throwable t = e;
        String best = null;
        while (t != null) {
            if (t instanceof TransportException || t instanceof org.eclipse.jgit.api.errors.TransportException) {
                best = t.getMessage();
            }
            t = t.getCause();
        }
        String msg = best != null ? best : describe(e);
        String lower = msg.toLowerCase(Locale.ROOT);
        if (lower.contains("not authorized") || lower.contains("authentication is required")
                || lower.contains("auth fail") || lower.contains("credentialsprovider")) {
            return "authentication failed or is required (" + msg + ")";
        }
        if (lower.contains("not found") || lower.contains("repository not found")) {
            return "repository not found (" + msg + ")";
        }
        return msg;
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
        try {
            if (!Files.exists(dir)) {
                return;
            }
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // best effort: a temporary directory left behind is not worth failing the build for
        }
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
        if (ssh != null) {
            ssh.close();
            ssh = null;
        }
    }
}
