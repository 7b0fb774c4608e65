package io.currents.cli.dev;

import io.currents.cli.Currents;
import io.currents.cli.output.DurationConverter;
import io.currents.cli.output.ExitCodes;
import io.currents.cli.output.Progress;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.util.SystemReader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code currents dev up}: the main job on a machine without a cluster. Starts the local control plane and a Git
 * server, runs the controllers as processes, makes a Git repository from {@code examples/}, bootstraps the cluster
 * from it and shows the sources, Kustomizations and HelmReleases until they converge; everything keeps running afterwards.
 */
@Command(name = "up", mixinStandardHelpOptions = true, description = {
        "Start the local control plane, a Git server and the controllers (as processes, as in a cluster), make a Git "
                + "repository from examples/, bootstrap from it and show the status until it converges.",
        },
        footer = {"", "Everything keeps running in the background.",
                "State and logs: .currents/dev. Stop it all with `currents dev down`."})
final class DevUp implements Callable<Integer> {

    static final String NAMESPACE = "currents-system";
    static final String REPOSITORY = "examples";

    @Option(names = "--path", defaultValue = "clusters/dev", paramLabel = "<dir>",
            description = "The directory of the repository the cluster follows (default: ${DEFAULT-VALUE}).")
    String path;

    @Option(names = "--interval", defaultValue = "15s", paramLabel = "<duration>",
            description = "How often the sync GitRepository polls for new commits (default: ${DEFAULT-VALUE}).")
    String interval;

    @Option(names = "--timeout", defaultValue = "3m", converter = DurationConverter.class, paramLabel = "<duration>",
            description = "How long to wait for the cluster to converge (default: 3m).")
    Duration timeout;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private PrintWriter out;
    private Progress progress;
    private String uiUrl;
    private String uiToken;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        progress = Progress.to(spec.commandLine().getErr());
        Path root = ProjectRoot.find();
        Path dir = DevState.directory(root);
        Optional<DevState> previous = DevState.load(dir);
        if (previous.isPresent() && EnvironmentProcess.attach(previous.get().pid("environment")).isPresent()) {
            progress.success("the dev environment is already running (stop it with `bin/currents dev down`)");
            return new CommandLine(new DevStatus()).setOut(out).execute();
        }
        previous.ifPresent(stale -> DevDown.stopAll(stale, progress));
        DevState.deleteTree(dir);
        Files.createDirectories(dir);

        ensureControlPlaneBinaries(root);
        ensureBuilt(root);

        DevState state = DevState.empty(dir);
        List<ControllerProcess> controllers = new ArrayList<>();
        try {
            step("starting the local control plane and the Git server");
            ProcessHandle environment = EnvironmentProcess.start(root, dir, Duration.ofMinutes(3));
            state.put("environment.pid", environment.pid());
            state.put("environment.control-plane", EnvironmentProcess.controlPlanePids(environment));
            Path kubeconfig = state.kubeconfig();
            String repositoryUrl = Files.readString(dir.resolve("git-url")).trim() + "/" + REPOSITORY + ".git";
            state.put("kubeconfig", kubeconfig).put("repository-url", repositoryUrl).put("work", state.workClone());
            done("control plane ready (KUBECONFIG=" + kubeconfig + "), Git served at " + repositoryUrl);

            step("starting " + ControllerProcess.Controller.DEFAULTS.stream().map(ControllerProcess.Controller::controllerName)
                    .collect(java.util.stream.Collectors.joining(", ")) + " and the UI as processes");
            // JSON log lines, as the Deployments write them (LOG_JSON=true): what `currents logs` reads from the log files
            ControllerProcess.Settings settings = ControllerProcess.Settings.of(root, kubeconfig, NAMESPACE, dir).detach()
                    .withEnvironment(java.util.Map.of("LOG_JSON", "true"));
            // notification-controller first: the others post their events to it, as their Deployments' events-addr says
            ControllerProcess notification = ControllerProcess.start(ControllerProcess.Controller.NOTIFICATION, settings);
            controllers.add(notification);
            state.record(notification);
            ControllerProcess.Settings others = settings.withEvents(notification);
            for (ControllerProcess.Controller c : ControllerProcess.Controller.DEFAULTS) {
                if (c != ControllerProcess.Controller.NOTIFICATION) {
                    ControllerProcess process = ControllerProcess.start(c, others);
                    controllers.add(process);
                    state.record(process);
                }
            }
            String uiToken = DevUi.newToken();
            ControllerProcess ui = ControllerProcess.start(ControllerProcess.Controller.UI,
                    settings.withEnvironment(DevUi.environment(uiToken)));
            controllers.add(ui);
            state.record(ui);
            for (ControllerProcess process : controllers) {
                process.awaitReady(Duration.ofMinutes(2));
                done(process.controller().controllerName() + " ready (pid " + process.pid() + ", log " + process.log() + ")");
            }
            uiUrl = DevUi.url(ui);
            this.uiToken = uiToken;
            DevUi.saveToken(dir, uiToken);
            state.put("ui.url", uiUrl);

            step("making a Git repository from examples/");
            Path bare = dir.resolve("git").resolve(REPOSITORY + ".git");
            createRepository(root.resolve("examples"), bare, state.workClone(), repositoryUrl);
            done("work clone " + state.workClone());

            step("bootstrapping the cluster from " + repositoryUrl + " (path " + path + ")");
            out.flush();
            int code = Currents.commandLine().setOut(out).setErr(spec.commandLine().getErr()).execute(
                    "bootstrap", "git", "--url", repositoryUrl, "--branch", "main", "--path", path,
                    "--interval", interval, "--local-controllers", "--kubeconfig", kubeconfig.toString());
            if (code != 0) {
                throw new IllegalStateException("bootstrap git failed (exit code " + code + "); see the message above");
            }
            pull(state.workClone());

            step("waiting for the sources, Kustomizations and HelmReleases to converge");
            boolean converged;
            try (KubernetesClient client = client(kubeconfig)) {
                converged = watch(client, timeout);
            }
            printNextSteps(root, state, repositoryUrl);
            if (!converged) {
                progress.failure("not converged within " + timeout.toSeconds()
                        + "s; everything keeps running: check `bin/currents dev status` and the logs in " + dir);
                return ExitCodes.TIMEOUT;
            }
            return 0;
        } catch (RuntimeException | IOException | GitAPIException e) {
            out.flush();
            progress.failure(e.getMessage());
            progress.action("stopping what was started; the logs stay in " + dir + " until the next `dev up` or `dev down`");
            DevDown.stopAll(state, progress);
            Files.deleteIfExists(dir.resolve(DevState.FILE));
            return 1;
        }
    }

    /** Runs hack/install-test-deps.sh when the control plane binaries the tests use are not linked yet. */
    private void ensureControlPlaneBinaries(Path root) throws IOException, InterruptedException {
        Path binaries = Path.of(System.getProperty("user.home"), ".kubeapitest", "k8s", "1.20.2-linux-amd64");
        boolean present = Stream.of("etcd", "kube-apiserver", "kube-controller-manager")
                .allMatch(b -> Files.isExecutable(binaries.resolve(b)));
        if (!present) {
            step("installing the local control plane (etcd, kube-apiserver, kube-controller-manager; the first time "
                    + "builds them, about 10 minutes)");
            run(root, List.of(root.resolve("hack").resolve("install-test-deps.sh").toString()));
        }
    }

    /** Builds the controllers' and the UI's Quarkus applications when their jars are missing. */
    private void ensureBuilt(Path root) throws IOException, InterruptedException {
        List<String> missing = Stream.concat(ControllerProcess.Controller.DEFAULTS.stream(), Stream.of(ControllerProcess.Controller.UI))
                .filter(c -> !Files.isRegularFile(c.jar(root)))
                .map(ControllerProcess.Controller::controllerName)
                .toList();
        if (!missing.isEmpty()) {
            step("building " + String.join(", ", missing) + " (the first build downloads dependencies)");
            run(root, List.of(root.resolve("mvnw").toString(), "-B", "-q", "install", "-DskipTests",
                    "-pl", String.join(",", missing), "-am"));
        }
    }

    private void run(Path root, List<String> command) throws IOException, InterruptedException {
        out.flush();
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).inheritIO();
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        int code = builder.start().waitFor();
        if (code != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed with exit code " + code
                    + "; fix the error it printed and run `bin/currents dev up` again");
        }
    }

    /**
     * Commits a copy of {@code examples} in a new work clone, creates the served bare repository and pushes to it
     * over HTTP; the work clone tracks {@code origin/main} so that plain {@code git push} works in it.
     */
    static void createRepository(Path examples, Path bare, Path work, String url)
            throws IOException, GitAPIException, URISyntaxException {
        try (Git served = Git.init().setBare(true).setInitialBranch("main").setGitDir(bare.toFile()).call()) {
            StoredConfig config = served.getRepository().getConfig();
            config.setBoolean("http", null, "receivepack", true);
            config.save();
        }
        copyTree(examples, work);
        try (Git git = Git.init().setInitialBranch("main").setDirectory(work.toFile()).call()) {
            StoredConfig config = git.getRepository().getConfig();
            if (globalUserName() == null) {
                // a sandbox repository: let `git commit` work even where no identity is configured
                config.setString("user", null, "name", "Currents Dev");
                config.setString("user", null, "email", "dev@currents.invalid");
            }
            config.setString("branch", "main", "remote", "origin");
            config.setString("branch", "main", "merge", "refs/heads/main");
            config.save();
            git.remoteAdd().setName("origin").setUri(new URIish(url)).call();
            git.add().addFilepattern(".").call();
            PersonIdent author = new PersonIdent("Currents Dev", "dev@currents.invalid");
            git.commit().setAuthor(author).setCommitter(author)
                    .setMessage("Add the hello app and the dev cluster's Kustomization for it").call();
            git.push().setRemote("origin").add("main").call();
        }
    }

    private static String globalUserName() throws IOException {
        try {
            return SystemReader.getInstance().getUserConfig().getString("user", null, "name");
        } catch (org.eclipse.jgit.errors.ConfigInvalidException e) {
            return null;
        }
    }

    private static void pull(Path work) throws IOException, GitAPIException {
        try (Git git = Git.open(work.toFile())) {
            if (!git.pull().setRemote("origin").setRemoteBranchName("main").call().isSuccessful()) {
                throw new IllegalStateException("cannot pull the bootstrap commit into " + work);
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /**
     * Shows the sources and Kustomizations until they converge or the time is up: redrawn in place on a terminal,
     * printed again on each change otherwise.
     */
    private boolean watch(KubernetesClient client, Duration timeout) throws InterruptedException {
        boolean terminal = Progress.Terminal.interactive();
        long deadline = System.nanoTime() + timeout.toNanos();
        String shown = null;
        while (true) {
            SyncStatus status = SyncStatus.read(client);
            String table = status.table();
            if (!table.equals(shown)) {
                if (terminal && shown != null) {
                    out.print("\033[" + shown.split("\n", -1).length + "A\033[J");
                } else if (shown != null) {
                    out.println();
                }
                out.print(table);
                out.flush();
                shown = table;
            }
            if (status.converged()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(1000);
        }
    }

    private void printNextSteps(Path root, DevState state, String repositoryUrl) {
        Path cwd = Path.of("").toAbsolutePath();
        String bin = cwd.equals(root) ? "bin/currents" : root.resolve("bin").resolve("currents").toString();
        Path work = cwd.equals(root) ? root.relativize(state.workClone()) : state.workClone();
        out.println();
        out.println("✔ Currents runs on this machine: the cluster follows " + path + " of " + repositoryUrl + ".");
        out.println();
        out.println("Change the app in Git and watch the cluster follow:");
        out.println("  export KUBECONFIG=" + state.kubeconfig());
        out.println("  " + bin + " get kustomizations --watch     # in a second terminal");
        out.println("  cd " + work);
        out.println("  sed -i 's/LOG_LEVEL=debug/LOG_LEVEL=trace/' apps/hello/overlays/staging/kustomization.yaml");
        out.println("  git commit -qam 'staging: trace logging' && git push -q");
        out.println("  kubectl -n staging get configmaps,deployments");
        out.println();
        out.println("Or upgrade the Helm release from Git (helm-controller; `helm -n currents-system history greeting` sees it: Helm records it in the HelmRelease's namespace, as Flux does):");
        out.println("  sed -i 's/hello from Helm/hello again/' clusters/dev/greeting.yaml");
        out.println("  git commit -qam 'greeting: new message' && git push -q");
        out.println("  kubectl -n staging get configmap greeting -o jsonpath='{.data.message}'");
        out.println();
        out.println("Open the UI (sign in with the token; it is also in " + DevUi.tokenFile(state.dir()) + "):");
        out.println("  " + uiUrl);
        out.println("  token: " + uiToken);
        out.println();
        out.println("Status: " + bin + " dev status    Logs: " + state.dir() + "/*.log    Stop: " + bin + " dev down");
        out.flush();
    }

    private void step(String message) {
        out.flush();
        progress.action(message);
    }

    private void done(String message) {
        progress.success(message);
    }

    /** A client for the environment's kubeconfig. */
    static KubernetesClient client(Path kubeconfig) {
        try {
            return new KubernetesClientBuilder()
                    .withConfig(Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString()))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + kubeconfig, e);
        }
    }
}
