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
    @Option(names = "--reconcile-strategy", defaultValue = "ChartVersion",
            description = "When to build a new artifact: ChartVersion or Revision (default: ${DEFAULT-VALUE}).")
    String reconcileStrategy;

    @Option(names = "--verify-provider", paramLabel = "cosign|notation",
            description = "Verify the chart's signature with this provider (OCI HelmRepository charts).")
    String verifyProvider;
    @Option(names = "--verify-secret-ref", paramLabel = "<name>", description = "The name of a secret to use for signature verification.")
    String verifySecretRef;
    @Option(names = "--verify-subject", paramLabel = "<regexp>",
            description = "Regular expression to use for the OIDC subject during signature verification.")
    String verifySubject;
    @Option(names = "--verify-issuer", paramLabel = "<regexp>",
            description = "Regular expression to use for the OIDC issuer during signature verification.")
    String verifyIssuer;

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
        spec.setVerify(verification());
        return flux(new HelmChart(), spec);
    }

    /** flux's {@code spec.verify} from the --verify-* flags; a secret or an OIDC identity needs a provider. */
    private io.currents.api.source.v1.HelmChartVerification verification() {
        if (verifyProvider == null) {
            if (verifySecretRef != null) {
                throw new CliException("a verification provider must be specified when a secret is specified", ExitCodes.USAGE);
            }
            if (verifyIssuer != null || verifySubject != null) {
                throw new CliException("a verification provider must be specified when OIDC issuer/subject is specified", ExitCodes.USAGE);
            }
            return null;
        }
        var verify = new io.currents.api.source.v1.HelmChartVerification();
        verify.setProvider(Flags.oneOf(verifyProvider, List.of("cosign", "notation"),
                "invalid --verify-provider '" + verifyProvider + "'; use cosign or notation"));
        if (verifySecretRef != null) {
            var secret = new io.currents.api.meta.LocalObjectReference();
            secret.setName(verifySecretRef);
            verify.setSecretRef(secret);
        }
        if (verifyIssuer != null || verifySubject != null) {
            var identity = new io.currents.api.source.v1.OIDCIdentityMatch();
            identity.setIssuer(verifyIssuer == null ? "" : verifyIssuer);
            identity.setSubject(verifySubject == null ? "" : verifySubject);
            verify.setMatchOIDCIdentity(List.of(identity));
        }
        return verify;
    }
}
