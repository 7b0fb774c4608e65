package io.currents.cli.bootstrap;

import io.currents.cli.install.Component;
import io.currents.cli.install.InstallCommand;
import io.currents.cli.install.InstallManifests;
import io.currents.cli.install.Installer;
import io.currents.cli.install.Version;
import io.currents.cli.kube.KubeOptions;
import io.currents.cli.output.CliException;
import io.currents.cli.output.DurationConverter;
import io.currents.cli.output.ExitCodes;
import io.currents.cli.output.Progress;
import io.currents.cli.ssh.SshFiles;
import io.currents.git.GitAuth;
import io.currents.git.GitException;
import io.currents.git.GitSecret;
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
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code currents bootstrap git}: commits the components and sync manifests to {@code <path>/<namespace>/} of a Git
 * repository, installs them, creates the Git Secret and waits until the cluster syncs itself from the repository.
 * Running it again with the same flags changes nothing; with other flags it upgrades in place.
 */
@Command(name = "git", sortOptions = false,
        description = "Bootstrap Currents from a Git repository: commit and push the manifests, install them, and let the "
                + "cluster reconcile itself from <path> in the repository.")
public final class BootstrapGitCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    KubeOptions kube;

    @Option(names = "--url", required = true, paramLabel = "<url>",
            description = "Git repository URL (http://, https:// or ssh://).")
    String url;

    @Option(names = "--branch", defaultValue = "main", paramLabel = "<branch>", description = "Git branch (default: ${DEFAULT-VALUE}).")
    String branch;

    @Option(names = "--path", defaultValue = ".", paramLabel = "<path>",
            description = "Path in the repository the cluster syncs from (default: the root).")
    String path;

    @Option(names = {"-u", "--username"}, paramLabel = "<user>", description = "Basic authentication user name.")
    String username;

    @Option(names = {"-p", "--password"}, paramLabel = "<password>",
            description = "Basic authentication password or token; with --private-key-file, the key's passphrase.")
    String password;

    @Option(names = "--private-key-file", paramLabel = "<file>", description = "SSH private key for an ssh:// URL.")
    Path privateKeyFile;

    @Mixin
    InstallCommand.ComponentOptions components;

    @Option(names = "--interval", defaultValue = "1m", converter = DurationConverter.class, paramLabel = "<duration>",
            description = "How often the GitRepository checks for new commits (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--timeout", defaultValue = "5m", converter = DurationConverter.class, paramLabel = "<duration>",
            description = "How long to wait for each step to become ready (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--author-name", defaultValue = "Currents", paramLabel = "<name>", description = "Author of the commits (default: ${DEFAULT-VALUE}).")
    String authorName;

    @Option(names = "--author-email", defaultValue = "noreply@currents.invalid", paramLabel = "<email>",
            description = "E-mail of the commit author (default: ${DEFAULT-VALUE}).")
    String authorEmail;

    @Option(names = "--commit-message-appendix", paramLabel = "<text>", description = "Text appended to the commit messages.")
    String commitMessageAppendix;

    private SshFiles.PrivateKey privateKey;

    @Override
    public Integer call() {
        List<Component> chosen = components.resolved();
        if (!chosen.contains(Component.SOURCE) || !chosen.contains(Component.KUSTOMIZE)) {
            throw new CliException("bootstrap needs source-controller and kustomize-controller; add both to --components", ExitCodes.USAGE);
        }
        String repoPath;
        try {
            repoPath = SyncManifests.normalizePath(path);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), ExitCodes.USAGE);
        }
        String ns = kube.namespace();
        String dirInRepo = SyncManifests.directory(repoPath, ns);
        Progress progress = Progress.to(spec.commandLine().getErr());
        GitAuth auth = credentials();
        Path workDir = tempDir();
        try (GitTransport transport = transport(auth)) {
            progress.action("cloning branch \"" + branch + "\" from Git repository \"" + GitUrl.redact(url) + "\"");
            try (GitWorkspace repo = clone(transport, workDir.resolve("repo"))) {
                progress.success("cloned repository");
                transport.recordedHostKeys().forEach(k -> progress.success("recorded SSH host key " + k));

                progress.generated("generating component manifests");
                boolean withSecret = !auth.isEmpty();
                Map<String, String> files = manifests(chosen, ns, repoPath, withSecret);
                progress.success("generated component manifests");
                if (write(repo, files)) {
                    String sha = commit(repo, dirInRepo);
                    progress.success("committed component manifests to \"" + branch + "\" (\"" + sha + "\")");
                    progress.action("pushing component manifests to \"" + GitUrl.redact(url) + "\"");
                    push(repo);
                    progress.success("pushed component manifests");
                } else {
                    progress.success("component manifests are up to date");
                }

                List<Map<String, Object>> objects = build(repo.root().resolve(dirInRepo));
                List<Map<String, Object>> sync = new ArrayList<>();
                List<Map<String, Object>> rest = new ArrayList<>();
                for (Map<String, Object> o : objects) {
                    (isSyncObject(o, ns) ? sync : rest).add(o);
                }
                KubernetesClient client = kube.client();
                Installer installer = new Installer(client, progress, spec.commandLine().getOut());
                progress.action("installing components in \"" + ns + "\" namespace");
                components.confirmOverride(client, spec.commandLine().getErr());
                installer.apply(rest, timeout);
                progress.success("installed components");
                components.applyImagePullSecret(client, ns, progress);
                installer.waitForControllers(ns, chosen, timeout);

                if (withSecret) {
                    progress.action("configuring Git credentials Secret " + ns + "/" + ns);
                    client.secrets().resource(secret(ns, secretData(auth, transport))).fieldManager(Installer.FIELD_MANAGER)
                            .forceConflicts().serverSideApply();
                    progress.success("configured Git credentials Secret");
                }
                progress.action("applying sync manifests");
                installer.apply(sync, timeout);
                progress.success("applied sync manifests");

                // as flux does: ask for a reconcile now, and wait for the pushed revision, not just any Ready
                String revision = branch + "@sha1:" + head(repo);
                SyncWait wait = new SyncWait(client, progress);
                wait.requestReconcile("source.toolkit.fluxcd.io/v1", "GitRepository", ns, ns);
                wait.requestReconcile("kustomize.toolkit.fluxcd.io/v1", "Kustomization", ns, ns);
                wait.untilReady("source.toolkit.fluxcd.io/v1", "GitRepository", ns, ns, revision, timeout, "source-controller");
                wait.untilReady("kustomize.toolkit.fluxcd.io/v1", "Kustomization", ns, ns, revision, timeout, "kustomize-controller");
                progress.success("bootstrap finished");
                return ExitCodes.OK;
            }
        } finally {
            kube.close();
            deleteQuietly(workDir);
        }
    }

    /** The credentials of the flags, checked against the URL's transport. */
    private GitAuth credentials() {
        boolean ssh = GitUrl.isSsh(url);
        if (privateKeyFile != null) {
            if (!ssh) {
                throw new CliException("--private-key-file needs an ssh:// URL; for " + url + " use --username and --password",
                        ExitCodes.USAGE);
            }
            privateKey = SshFiles.privateKey(privateKeyFile, password);
            return GitAuth.ssh(privateKey.bytes(), password, null);
        }
        if (ssh) {
            throw new CliException("an SSH URL needs --private-key-file; or use an https:// URL with --username and --password", ExitCodes.USAGE);
        }
        if (password != null && username == null) {
            return GitAuth.basic("git", password);
        }
        if (username != null && password == null) {
            throw new CliException("--username needs --password (a password or an access token)", ExitCodes.USAGE);
        }
        return username == null ? GitAuth.none() : GitAuth.basic(username, password);
    }

    /** Over SSH the server's host key is recorded on first contact, as {@code flux bootstrap} scans it, and printed. */
    private GitTransport transport(GitAuth auth) {
        try {
            return GitTransport.builder(url).auth(auth).recordHostKeys().build();
        } catch (GitException e) {
            throw new CliException(e.getMessage(), ExitCodes.USAGE, e);
        }
    }

    /** The branch's clone, or a new repository when the branch does not exist yet. */
    private GitWorkspace clone(GitTransport transport, Path dir) {
        try {
            return GitWorkspace.openOrInit(transport, url, branch, dir, timeout);
        } catch (GitException e) {
            throw new CliException("cannot read the Git repository: " + e.getMessage()
                    + "; check --url and the credentials (--username/--password or --private-key-file)", ExitCodes.FAILURE, e);
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

    private String commit(GitWorkspace repo, String dirInRepo) {
        try {
            return repo.commit(List.of(dirInRepo), new PersonIdent(authorName, authorEmail), commitMessage(), null);
        } catch (GitException e) {
            throw new CliException("cannot commit the manifests: " + e.getMessage(), ExitCodes.FAILURE, e);
        }
    }

    private void push(GitWorkspace repo) {
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

    /** The Secret's data, in the keys source-controller reads; for SSH with the host keys recorded while cloning. */
    private Map<String, String> secretData(GitAuth auth, GitTransport transport) {
        if (privateKey == null) {
            return GitSecret.data(auth, null);
        }
        String knownHosts = String.join("\n", transport.recordedHostKeys()) + "\n";
        return GitSecret.data(GitAuth.ssh(auth.privateKey(), auth.passphrase(), knownHosts), privateKey.publicKeyLine());
    }

    /** The three files of {@code <path>/<namespace>/}, keyed by their path in the repository. */
    Map<String, String> manifests(List<Component> chosen, String ns, String repoPath, boolean withSecret) {
        // the components file is the plain install; --local-controllers goes into kustomization.yaml as a patch
        InstallManifests.Options options = components.options(ns).withLocalControllers(false);
        String dir = SyncManifests.directory(repoPath, ns);
        Map<String, String> files = new LinkedHashMap<>();
        files.put(dir + "/" + SyncManifests.COMPONENTS_FILE, SyncManifests.components(Version.tag(),
                chosen.stream().map(Component::id).toList(), InstallManifests.build(options).toYaml()));
        files.put(dir + "/" + SyncManifests.SYNC_FILE, SyncManifests.sync(new SyncManifests.Sync(ns, ns, url, branch, repoPath,
                FluxDuration.format(interval), withSecret)));
        files.put(dir + "/" + SyncManifests.KUSTOMIZATION_FILE, SyncManifests.kustomization(components.localControllers()));
        return files;
    }

    private String commitMessage() {
        String message = "Add Currents " + Version.tag() + " component manifests";
        return commitMessageAppendix == null || commitMessageAppendix.isBlank() ? message : message + "\n\n" + commitMessageAppendix;
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

    private static Secret secret(String ns, Map<String, String> data) {
        return new SecretBuilder().withNewMetadata().withName(ns).withNamespace(ns).endMetadata()
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
