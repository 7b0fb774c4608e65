package io.currents.cli.helm;

import io.currents.kustomize.ChartInflator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code helm} command backed by the CLI's helm-java inflator, so that {@code kubectl kustomize
 * --enable-helm --helm-command hack/helm-shim.sh} can produce the corpus' expected output for
 * {@code helmCharts} on machines without a helm binary: kustomize decides the values, arguments and
 * what happens to the output; the chart is rendered by the same Helm library the engine uses.
 * Understands the commands kustomize runs: {@code version}, {@code template} and {@code pull}.
 */
public final class HelmShim {
    private HelmShim() {
    }

    public static void main(String[] args) {
        HelmJavaChartInflator helm = new HelmJavaChartInflator(new ChartPuller(Duration.ofMinutes(2), 64L << 20));
        try {
            switch (args.length == 0 ? "" : args[0]) {
                case "version" -> System.out.println(helm.version());
                case "template" -> System.out.print(template(helm, args));
                case "pull" -> pull(helm, args);
                default -> {
                    System.err.println("helm-shim: unsupported command " + String.join(" ", args));
                    System.exit(1);
                }
            }
        } catch (RuntimeException e) {
            System.err.println("Error: " + e.getMessage());
            System.exit(1);
        }
    }

    private static String template(HelmJavaChartInflator helm, String[] args) {
        String name = null;
        Path chart = null;
        String namespace = null;
        String nameTemplate = null;
        String kubeVersion = null;
        List<Path> values = new ArrayList<>();
        List<String> apiVersions = new ArrayList<>();
        boolean crds = false;
        boolean skipTests = false;
        boolean noHooks = false;
        boolean debug = false;
        List<String> positional = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--namespace" -> namespace = args[++i];
                case "--name-template" -> nameTemplate = args[++i];
                case "-f", "--values" -> values.add(Path.of(args[++i]));
                case "--api-versions" -> apiVersions.add(args[++i]);
                case "--kube-version" -> kubeVersion = args[++i];
                case "--include-crds" -> crds = true;
                case "--skip-tests" -> skipTests = true;
                case "--no-hooks" -> noHooks = true;
                case "--debug" -> debug = true;
                case "--generate-name" -> name = null;
                default -> positional.add(args[i]);
            }
        }
        if (positional.size() == 2) {
            name = positional.get(0);
            chart = Path.of(positional.get(1));
        } else if (positional.size() == 1) {
            chart = Path.of(positional.get(0));
        }
        return helm.template(new ChartInflator.TemplateRequest(name, chart, namespace, nameTemplate, values, apiVersions,
                kubeVersion, crds, skipTests, noHooks, debug));
    }

    private static void pull(HelmJavaChartInflator helm, String[] args) {
        String untarDir = null;
        String repo = null;
        String version = null;
        String chart = null;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--untar" -> {
                }
                case "--untardir" -> untarDir = args[++i];
                case "--repo" -> repo = args[++i];
                case "--version" -> version = args[++i];
                default -> chart = args[i];
            }
        }
        if (chart != null && chart.startsWith("oci://")) {
            int slash = chart.lastIndexOf('/');
            repo = chart.substring(0, slash);
            chart = chart.substring(slash + 1);
        }
        helm.pull(new ChartInflator.PullRequest(chart, repo, version, Path.of(untarDir)));
    }
}
