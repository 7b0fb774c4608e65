package io.currents.cli;

import io.currents.cli.helm.ChartPuller;
import io.currents.cli.helm.HelmCommandChartInflator;
import io.currents.cli.helm.HelmJavaChartInflator;
import io.currents.kustomize.BuildWarning;
import io.currents.kustomize.KustomizeException;
import io.currents.kustomize.Kustomizer;
import io.currents.kustomize.RemoteResources;
import io.currents.kustomize.ResourceList;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code currents kustomize ...}: kustomize operations with the built-in engine. */
@Command(name = "kustomize", description = "Build kustomizations with the built-in kustomize engine.",
        subcommands = {KustomizeCommand.Build.class})
final class KustomizeCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code currents kustomize build DIR}: prints the YAML stream kustomize would print. */
    @Command(name = "build", description = "Print the objects a kustomization directory builds to, as YAML.")
    static final class Build implements Callable<Integer> {
        private static final DateTimeFormatter GO_LOG_TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss ");

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", arity = "0..1", defaultValue = ".", description = "Directory with a kustomization.")
        Path dir;

        @Option(names = "--generate-missing-kustomization",
                description = "Like Flux, build a directory without a kustomization file from its YAML files.")
        boolean generateMissing;

        @Option(names = "--load-restrictor", defaultValue = "LoadRestrictionsRootOnly",
                description = "LoadRestrictionsRootOnly (default) or LoadRestrictionsNone.")
        String loadRestrictor;

        @Option(names = "--max-file-bytes", defaultValue = "67108864", description = "Largest file the build reads.")
        long maxFileBytes;

        @Option(names = "--enable-remote",
                description = "Fetch remote bases, components and files (Git URLs in kustomize's forms, http(s) files). "
                        + "Off by default, unlike kubectl kustomize.")
        boolean enableRemote;

        @Option(names = "--remote-timeout", defaultValue = "300", paramLabel = "SECONDS",
                description = "Longest one download or clone may take (a Git URL's ?timeout=, default 27s, applies "
                        + "within it).")
        long remoteTimeoutSeconds;

        @Option(names = "--max-download-bytes", defaultValue = "67108864",
                description = "Largest remote file downloaded over http(s).")
        long maxDownloadBytes;

        @Option(names = "--max-clone-bytes", defaultValue = "268435456",
                description = "Largest Git clone (objects received plus files checked out).")
        long maxCloneBytes;

        @Option(names = "--enable-helm",
                description = "Render helmCharts with the bundled Helm v3 (helm-java), as kubectl kustomize --enable-helm. "
                        + "Off by default.")
        boolean enableHelm;

        @Option(names = "--helm-command", paramLabel = "COMMAND",
                description = "With --enable-helm: run this helm v3 program as kubectl kustomize does, instead of the "
                        + "bundled Helm (needed for helmCharts apiVersions).")
        String helmCommand;

        @Option(names = "--helm-kube-version", paramLabel = "VERSION",
                description = "Kubernetes version charts are rendered for (Capabilities.KubeVersion).")
        String helmKubeVersion;

        @Option(names = "--helm-api-versions", split = ",", paramLabel = "API_VERSION",
                description = "API versions charts are rendered with (Capabilities.APIVersions). The bundled Helm "
                        + "cannot set them: a build that needs them fails with a message saying so, unless --helm-command "
                        + "names a helm program.")
        java.util.List<String> helmApiVersions;

        @Option(names = "--helm-debug", description = "Helm's debug output on errors.")
        boolean helmDebug;

        @Override
        public Integer call() {
            Kustomizer.LoadRestrictions lr = switch (loadRestrictor) {
                case "LoadRestrictionsRootOnly", "rootOnly" -> Kustomizer.LoadRestrictions.ROOT_ONLY;
                case "LoadRestrictionsNone", "none" -> Kustomizer.LoadRestrictions.NONE;
                default -> throw new CommandLine.ParameterException(spec.commandLine(),
                        "--load-restrictor must be LoadRestrictionsRootOnly or LoadRestrictionsNone");
            };
            if (remoteTimeoutSeconds <= 0 || maxDownloadBytes <= 0 || maxCloneBytes <= 0) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--remote-timeout, --max-download-bytes and --max-clone-bytes must be positive");
            }
            RemoteResources remote = enableRemote
                    ? RemoteResources.enabled().withTimeout(Duration.ofSeconds(remoteTimeoutSeconds))
                            .withMaxDownloadBytes(maxDownloadBytes).withMaxCloneBytes(maxCloneBytes)
                            // like kubectl kustomize, SSH remotes use the user's keys and known_hosts
                            .withSshDirectory(RemoteResources.userSshDirectory())
                    : RemoteResources.disabled("pass --enable-remote to fetch them");
            Kustomizer.Helm helm = null;
            Path helmHome = null;
            try {
                if (enableHelm && helmCommand != null && !helmCommand.isBlank()) {
                    helmHome = Files.createTempDirectory("kustomize-helm-home-");
                    helm = new Kustomizer.Helm(new HelmCommandChartInflator(helmCommand, helmHome,
                            Duration.ofSeconds(remoteTimeoutSeconds), maxDownloadBytes), helmKubeVersion, helmApiVersions, helmDebug);
                } else if (enableHelm) {
                    helm = new Kustomizer.Helm(new HelmJavaChartInflator(new ChartPuller(Duration.ofSeconds(remoteTimeoutSeconds),
                            maxDownloadBytes)), helmKubeVersion, helmApiVersions, helmDebug);
                }
                ResourceList out = Kustomizer.builder()
                        .helm(helm)
                        .remoteResources(remote)
                        .generateMissingKustomization(generateMissing)
                        .loadRestrictions(lr)
                        .maxFileBytes(maxFileBytes)
                        .build()
                        .build(dir);
                printWarnings(out.warnings());
                PrintWriter w = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8));
                w.write(out.toYaml());
                w.flush();
                return 0;
            } catch (KustomizeException e) {
                printWarnings(e.warnings());
                spec.commandLine().getErr().println("Error: " + e.getMessage());
                return 1;
            } catch (IOException e) {
                spec.commandLine().getErr().println("Error: cannot create Helm's home directory: " + e.getMessage());
                return 1;
            } finally {
                if (helmHome != null) {
                    HelmJavaChartInflator.deleteTree(helmHome);
                }
            }
        }

        /**
         * kustomize's stderr notices: deprecated fields as plain lines, the rest through Go's log package,
         * which puts the local date and time before each line.
         */
        private void printWarnings(List<BuildWarning> warnings) {
            PrintWriter err = spec.commandLine().getErr();
            for (BuildWarning bw : warnings) {
                if (bw.logged()) {
                    err.print(GO_LOG_TIME.format(LocalDateTime.now()));
                }
                err.println(bw.message());
            }
            err.flush();
        }
    }
}
