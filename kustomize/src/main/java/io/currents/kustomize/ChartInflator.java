package io.currents.kustomize;

import java.nio.file.Path;
import java.util.List;

/**
 * Renders Helm charts for the {@code helmCharts} field of a kustomization (kustomize's
 * HelmChartInflationGenerator, enabled with {@code --enable-helm}). The engine decides what to render
 * and reads the output; an implementation runs Helm's {@code template} and {@code pull}. Kustomize runs
 * the {@code helm} binary; this library ships none, so a program that wants charts supplies one
 * (the CLI's is backed by helm-java).
 */
public interface ChartInflator {

    /**
     * What {@code helm template} is asked to do.
     *
     * @param releaseName   the release name, or null for a generated one ({@code --generate-name})
     * @param chartDir      the chart's directory
     * @param namespace     {@code --namespace}, or null
     * @param nameTemplate  {@code --name-template}, or null
     * @param valuesFiles   {@code -f} files in order (the first is the one kustomize wrote)
     * @param apiVersions   {@code --api-versions}
     * @param kubeVersion   {@code --kube-version}, or null
     * @param configHome    {@code helmGlobals.configHome} (Helm's {@code HELM_CONFIG_HOME}), or null for the
     *                      inflator's own
     */
    record TemplateRequest(String releaseName, Path chartDir, String namespace, String nameTemplate,
                           List<Path> valuesFiles, List<String> apiVersions, String kubeVersion, boolean includeCrds,
                           boolean skipTests, boolean skipHooks, boolean debug, Path configHome) {

        /** A request without a configHome. */
        public TemplateRequest(String releaseName, Path chartDir, String namespace, String nameTemplate,
                               List<Path> valuesFiles, List<String> apiVersions, String kubeVersion, boolean includeCrds,
                               boolean skipTests, boolean skipHooks, boolean debug) {
            this(releaseName, chartDir, namespace, nameTemplate, valuesFiles, apiVersions, kubeVersion, includeCrds,
                    skipTests, skipHooks, debug, null);
        }
    }

    /**
     * What {@code helm pull --untar --untardir <untarDir>} is asked to fetch.
     *
     * @param repo     the repository URL ({@code https://...}) or an {@code oci://} reference of the chart's repository
     * @param version  the chart version, or null for the newest
     * @param configHome {@code helmGlobals.configHome}, or null for the inflator's own
     */
    record PullRequest(String chart, String repo, String version, Path untarDir, Path configHome) {

        /** A request without a configHome. */
        public PullRequest(String chart, String repo, String version, Path untarDir) {
            this(chart, repo, version, untarDir, null);
        }
    }

    /** The major.minor.patch version of the Helm inside (kustomize requires Helm 3). */
    String version();

    /** The rendered manifests (a YAML stream), as {@code helm template} prints them. */
    String template(TemplateRequest request);

    /** Fetches a chart and unpacks it to {@code <untarDir>/<chart>}. */
    void pull(PullRequest request);
}
