package io.currents.cli.plan;

import io.currents.cli.helm.ChartPuller;
import io.currents.cli.helm.HelmJavaChartInflator;
import io.currents.cli.ops.ClusterCommand;
import io.currents.cli.output.CliException;
import io.currents.cli.output.Errors;
import io.currents.cli.output.ExitCodes;
import io.currents.runtime.apply.ApplyException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code currents plan --base <rev> --head <rev>}: what merging a change would make the controllers do. Renders the
 * whole graph under {@code --path} at both revisions (or the head against the live cluster) and prints each object
 * to create, update or delete, grouped by the Kustomization or HelmRelease applying it, deletions first.
 * Exit 0 when nothing would change, 1 when something would, 2 on error.
 */
@Command(mixinStandardHelpOptions = true)
public final class PlanCommand extends ClusterCommand {

    /** Exit code when the plan itself failed (a build error at either revision, a bad flag). */
    static final int PLAN_ERROR = 2;

    @Option(names = "--base", description = "The revision the change starts from (branch, tag, commit; default: the head's first parent).")
    String base;

    @Option(names = "--head", defaultValue = "HEAD", description = "The revision to plan (default: ${DEFAULT-VALUE}).")
    String head;

    @Option(names = "--repo", defaultValue = ".", description = "A local clone or a Git URL (default: the current directory).")
    String repo;

    @Option(names = "--path", defaultValue = "./", description = "The directory the bootstrap Kustomization applies, e.g. clusters/prod.")
    String path;

    @Option(names = "--source-name", description = "Name of the GitRepository standing for this repository, besides flux-system and currents-system.")
    List<String> sourceNames = List.of();

    @Option(names = "--against-cluster", description = "Compare the head with the live cluster instead of --base (reads substituteFrom and valuesFrom).")
    boolean againstCluster;

    @Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "text|json|markdown",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    PlanReport.Format format;

    @Override
    public Integer call() {
        try {
            Plan plan = plan();
            print(PlanReport.render(plan, format));
            if (!plan.errors.isEmpty()) {
                return PLAN_ERROR;
            }
            return plan.changed() ? 1 : 0;
        } catch (CliException e) {
            throw new CliException(e.getMessage(), PLAN_ERROR, e);
        } catch (ApplyException e) {
            throw new CliException(e.getMessage(), PLAN_ERROR, e);
        } catch (KubernetesClientException e) {
            throw new CliException(Errors.describe(e), PLAN_ERROR, e);
        }
    }

    private Plan plan() {
        if (againstCluster && base != null) {
            throw new CliException("give either --base <rev> (plan against a revision) or --against-cluster (plan against the live cluster), not both");
        }
        String from = base == null ? head + "^" : base;
        Set<String> own = new LinkedHashSet<>(sourceNames);
        own.add("flux-system");
        own.add("currents-system");
        KubernetesClient client = againstCluster ? kube.client() : null;
        String where = GraphRenderer.normalize(path).isEmpty() ? "./" : GraphRenderer.normalize(path);
        try (HelmReleaseRenderer helm = new HelmReleaseRenderer(own, client,
                new HelmJavaChartInflator(new ChartPuller(Duration.ofSeconds(60), 64L << 20)))) {
            GraphRenderer renderer = new GraphRenderer(own, client, helm);
            if (againstCluster) {
                try (RevisionCheckout checkout = RevisionCheckout.of(repo, head)) {
                    return ClusterPlan.between(where, renderer.render(checkout, path), client);
                }
            }
            try (RevisionCheckout headCheckout = RevisionCheckout.of(repo, head);
                 RevisionCheckout baseCheckout = RevisionCheckout.of(repo, from)) {
                return Plan.between(where, renderer.render(baseCheckout, path), renderer.render(headCheckout, path));
            }
        }
    }
}
