package io.currents.cli.ops.create;

import io.currents.api.source.v1.HelmChart;
import io.currents.api.source.v1.HelmChartSpec;
import io.currents.api.source.v1.LocalHelmChartSourceReference;
import io.currents.cli.ops.FluxKind;
import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;

/** {@code currents create source chart}: a HelmChart from a HelmRepository, GitRepository or Bucket of its namespace. */
@Command(mixinStandardHelpOptions = true)
final class SourceChartCommand extends SourceCommand {

    @Option(names = "--source", required = true, paramLabel = "<kind>/<name>",
            description = "The chart's source: HelmRepository/<name>, GitRepository/<name> or Bucket/<name>, in the same namespace.")
    String source;
    @Option(names = "--chart", required = true, description = "Helm chart name (HelmRepository) or path (GitRepository, Bucket).")
    String chart;
    @Option(names = "--chart-version", description = "Helm chart version, a semver range (ignored for charts from Git or Bucket sources).")
    String chartVersion;
    @Option(names = "--reconcile-strategy", description = "When to build a new artifact: ChartVersion or Revision (default: ChartVersion).")
    String reconcileStrategy;

    SourceChartCommand() {
        super(FluxKind.HELM_CHART, true);
    }

    @Override
    HelmChart object() {
        ObjectRef ref = ObjectRef.parse(source, null, "--source");
        Flags.oneOf(ref.kind(), List.of("HelmRepository", "GitRepository", "Bucket"),
                "invalid --source kind '" + ref.kind() + "'; use HelmRepository, GitRepository or Bucket");
        if (ref.namespace() != null) {
            throw new CliException("a HelmChart's source must be in its own namespace; drop '." + ref.namespace()
                    + "' from --source and use -n", ExitCodes.USAGE);
        }
        HelmChartSpec spec = new HelmChartSpec();
        spec.setChart(chart);
        spec.setVersion(Flags.orNull(chartVersion));
        spec.setSourceRef(ref.as(LocalHelmChartSourceReference.class));
        spec.setInterval(interval.formatted());
        spec.setReconcileStrategy(Flags.oneOf(reconcileStrategy, List.of("ChartVersion", "Revision"),
                "invalid --reconcile-strategy '" + reconcileStrategy + "'; use ChartVersion or Revision"));
        return flux(new HelmChart(), spec);
    }
}
