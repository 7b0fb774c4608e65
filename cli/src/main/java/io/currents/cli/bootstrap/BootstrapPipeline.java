package io.currents.cli.bootstrap;

import io.currents.cli.install.Component;
import io.currents.cli.install.InstallManifests;
import io.currents.cli.install.Installer;
import io.currents.cli.install.Version;
import io.currents.cli.kube.KubeOptions;
import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import io.currents.cli.output.Progress;
import io.currents.git.GitAuth;
import io.currents.git.GitException;
import io.currents.git.GitTransport;
import io.currents.git.GitUrl;
import io.currents.git.GitWorkspace;
import io.currents.kustomize.KustomizeException;
import io.currents.kustomize.Kustomizer;
import io.currents.runtime.reconcile.FluxDuration;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Signer;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The steps every {@code bootstrap} subcommand shares once it knows where to push and what the cluster syncs from:
 * clone, write and commit {@code <path>/<namespace>/}, push, install, write the credentials Secret, apply the sync
 * objects and wait until the cluster has applied the pushed commit. The subcommands only differ in the {@link Target}.
 */
final class BootstrapPipeline {

    /**
     * Where the bootstrap pushes ({@code cloneUrl} with {@code cloneAuth}) and what the GitRepository reads
     * ({@code syncUrl} with the Secret {@code credentials} gives; null for a repository read without credentials).
     */
    record Target(String cloneUrl, GitAuth cloneAuth, String syncUrl, SyncCredentials credentials) {
    }

    /** The data of the sync Secret, decided once the components are installed (as flux generates it then). */
    interface SyncCredentials {
        /**
         * The Secret's data, or null to keep the existing Secret as it is.
         *
         * @param transport the transport that cloned, with the SSH host keys it recorded
         * @param existing  whether the Secret exists already
         */
        Map<String, String> data(GitTransport transport, boolean existing);
    }

    private final BootstrapOptions options;
    private final KubeOptions kube;
    /** What to check when the clone fails, per subcommand. */
    private final String cloneHint;
    private final Progress progress;
    private final PrintWriter out;

    BootstrapPipeline(BootstrapOptions options, KubeOptions kube, Progress progress, PrintWriter out, String cloneHint) {
        this.cloneHint = cloneHint;
        this.options = options;
        this.kube = kube;
        this.progress = progress;
        this.out = out;
    }

    /** The validated {@code --path} inside the repository ("" for the root). */
    static String repoPath(BootstrapOptions options) {
        List<Component> chosen = options.components.resolved();
        if (!chosen.contains(Component.SOURCE) || !chosen.contains(Component.KUSTOMIZE)) {
            throw new CliException("bootstrap needs source-controller and kustomize-controller; add both to --components", ExitCodes.USAGE);
        }
        String repoPath;
        try {
            repoPath = SyncManifests.normalizePath(options.path);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), ExitCodes.USAGE);
        }
        options.validate(repoPath);
        return repoPath;
    }

    int run(Target target, Signer signer) {
        String repoPath = repoPath(options);
        List<Component> chosen = options.components.resolved();
        String ns = kube.namespace();
        String secretName = options.secretName(ns);
        String dirInRepo = SyncManifests.directory(repoPath, ns);
        String branch = options.branch;
        Path workDir = tempDir();
        try (GitTransport transport = transport(target, options.sshHostKeyAlgorithms)) {
            progress.action("cloning branch \"" + branch + "\" from Git repository \"" + GitUrl.redact(target.cloneUrl()) + "\"");
            try (GitWorkspace repo = clone(transport, target.cloneUrl(), workDir.resolve("repo"))) {
                progress.success("cloned repository");
                transport.recordedHostKeys().forEach(k -> progress.success("recorded SSH host key " + k));

                progress.generated("generating component manifests");
                Map<String, String> files = manifests(chosen, ns, repoPath, target.syncUrl(),
                        target.credentials() == null ? null : secretName);
                progress.success("generated component manifests");
                if (write(repo, files)) {
                    String sha = commit(repo, dirInRepo, signer);
                    progress.success("committed component manifests to \"" + branch + "\" (\"" + sha + "\")");
                    progress.action("pushing component manifests to \"" + GitUrl.redact(target.cloneUrl()) + "\"");
                    push(repo, branch);
                    progress.success("pushed component manifests");
                } else {
                    progress.success("component manifests are up to date");
                }

                List<Map<String, Object>> sync = new ArrayList<>();
                List<Map<String, Object>> rest = new ArrayList<>();
                for (Map<String, Object> o : build(repo.root().resolve(dirInRepo))) {
                    (isSyncObject(o, ns) ? sync : rest).add(o);
                }
                KubernetesClient client = kube.client();
                Installer installer = new Installer(client, progress, out);
                progress.action("installing components in \"" + ns + "\" namespace");
                options.components.confirmOverride(client, progress.writer());
                installer.apply(rest, options.timeout);
                progress.success("installed components");
                options.components.applyImagePullSecret(client, ns, progress);
                installer.waitForControllers(ns, chosen, options.timeout);

                if (target.credentials() != null) {
                    boolean existing = client.secrets().inNamespace(ns).withName(secretName).get() != null;
                    Map<String, String> data = target.credentials().data(transport, existing);
                    if (data == null) {
                        progress.success("source secret " + ns + "/" + secretName + " up to date");
                    } else {
                        progress.action("configuring Git credentials Secret " + ns + "/" + secretName);
                        client.secrets().resource(secret(ns, secretName, data)).fieldManager(Installer.FIELD_MANAGER)
                                .forceConflicts().serverSideApply();
                        progress.success("configured Git credentials Secret");
                    }
                }
                progress.action("applying sync manifests");
                installer.apply(sync, options.timeout);
                progress.success("applied sync manifests");

                // as flux does: ask for a reconcile now, and wait for the pushed revision, not just any Ready
                String revision = branch + "@sha1:" + head(repo);
                SyncWait wait = new SyncWait(client, progress);
                wait.requestReconcile("source.toolkit.fluxcd.io/v1", "GitRepository", ns, ns);
                wait.requestReconcile("kustomize.toolkit.fluxcd.io/v1", "Kustomization", ns, ns);
                wait.untilReady("source.toolkit.fluxcd.io/v1", "GitRepository", ns, ns, revision, options.timeout, "source-controller");
                wait.untilReady("kustomize.toolkit.fluxcd.io/v1", "Kustomization", ns, ns, revision, options.timeout, "kustomize-controller");
                progress.success("bootstrap finished");
                return ExitCodes.OK;
            }
        } finally {
            kube.close();
            deleteQuietly(workDir);
        }
    }

    /**
     * Over SSH the server's host key is recorded on first contact, as {@code flux bootstrap} scans it, and printed; of one of
     * {@code --ssh-hostkey-algos} when given (the only ones offered).
     */
    private static GitTransport transport(Target target, List<String> hostKeyAlgorithms) {
        try {
            return GitTransport.builder(target.cloneUrl()).auth(target.cloneAuth()).recordHostKeys()
                    .hostKeyAlgorithms(hostKeyAlgorithms).build();
        } catch (GitException e) {
            throw new CliException(e.getMessage(), ExitCodes.USAGE, e);
        }
    }

    /** The branch's clone, or a new repository when the branch does not exist yet. */
    private GitWorkspace clone(GitTransport transport, String url, Path dir) {
        try {
            return GitWorkspace.openOrInit(transport, url, options.branch, dir, options.timeout);
        } catch (GitException e) {
            throw new CliException("cannot read the Git repository: " + e.getMessage()
                    + "; " + cloneHint, ExitCodes.FAILURE, e);
        }
    }

    /** Writes the files (path in the repository → content); true when the working tree now differs from HEAD. */
    private static boolean write(GitWorkspace repo, Map<String, String> files) {
        try {
            for (var e : files.entrySet()) {
                Path file = repo.root().resolve(e.getKey());
                Files.createDirectories(file.getParent());
                Files.writeString(file, e.getValue());
            }
            return repo.hasChanges();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GitException e) {
            throw new CliException(e.getMessage(), ExitCodes.FAILURE, e);
        }
    }

    private String commit(GitWorkspace repo, String dirInRepo, Signer signer) {
        try {
            return repo.commit(List.of(dirInRepo), new PersonIdent(options.authorName, options.authorEmail), commitMessage(), signer);
        } catch (GitException e) {
            throw new CliException("cannot commit the manifests: " + e.getMessage(), ExitCodes.FAILURE, e);
        }
    }

    private static void push(GitWorkspace repo, String branch) {
        try {
            repo.push(branch, null, null);
        } catch (GitException e) {
            throw new CliException("cannot push to the Git repository: " + e.getMessage() + "; if the branch moved meanwhile, "
                    + "run bootstrap again, and check that the credentials may write to the repository", ExitCodes.FAILURE, e);
        }
    }

    private static String head(GitWorkspace repo) {
        try {
            return repo.head();
        } catch (GitException e) {
            throw new CliException(e.getMessage(), ExitCodes.FAILURE, e);
        }
    }

    /** The three files of {@code <path>/<namespace>/}, keyed by their path in the repository. */
    private Map<String, String> manifests(List<Component> chosen, String ns, String repoPath, String syncUrl, String secretName) {
        // the components file is the plain install; --local-controllers goes into kustomization.yaml as a patch
        InstallManifests.Options install = options.components.options(ns).withLocalControllers(false);
        String dir = SyncManifests.directory(repoPath, ns);
        Map<String, String> files = new LinkedHashMap<>();
        files.put(dir + "/" + SyncManifests.COMPONENTS_FILE, SyncManifests.components(Version.tag(),
                chosen.stream().map(Component::id).toList(), InstallManifests.build(install).toYaml()));
        files.put(dir + "/" + SyncManifests.SYNC_FILE, SyncManifests.sync(new SyncManifests.Sync(ns, ns, syncUrl, options.branch,
                repoPath, FluxDuration.format(options.interval), secretName, options.recurseSubmodules, options.sparseCheckout)));
        files.put(dir + "/" + SyncManifests.KUSTOMIZATION_FILE, SyncManifests.kustomization(options.components.localControllers()));
        return files;
    }

    private String commitMessage() {
        String message = "Add Currents " + Version.tag() + " component manifests";
        String appendix = options.commitMessageAppendix;
        return appendix == null || appendix.isBlank() ? message : message + "\n\n" + appendix;
    }

    private static List<Map<String, Object>> build(Path dir) {
        try {
            return Kustomizer.create().build(dir).objects();
        } catch (KustomizeException e) {
            throw new CliException("the kustomization in the repository does not build: " + e.getMessage()
                    + "; fix or remove the edited file and run bootstrap again", ExitCodes.FAILURE, e);
        }
    }

    static boolean isSyncObject(Map<String, Object> o, String ns) {
        Object kind = o.get("kind");
        Object metadata = o.get("metadata");
        if (!(metadata instanceof Map<?, ?> m) || !("GitRepository".equals(kind) || "Kustomization".equals(kind))) {
            return false;
        }
        return ns.equals(m.get("name")) && ns.equals(m.get("namespace"));
    }

    private static Secret secret(String ns, String name, Map<String, String> data) {
        return new SecretBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withType("Opaque").withStringData(data).build();
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("currents-bootstrap");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp directory is harmless
        }
    }
}
