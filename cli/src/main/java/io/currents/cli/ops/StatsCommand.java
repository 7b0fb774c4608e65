package io.currents.cli.ops;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code currents stats [-A]}: per kind, how many objects run (not suspended), fail ({@code Ready=False}) and are
 * suspended, and the storage their artifacts take ({@code status.artifact.size}), as {@code flux stats} reports.
 */
@Command
public final class StatsCommand extends ClusterCommand {

    /** flux's order of the rows. */
    static final List<FluxKind> KINDS = List.of(FluxKind.GIT_REPOSITORY, FluxKind.OCI_REPOSITORY, FluxKind.HELM_REPOSITORY,
            FluxKind.HELM_CHART, FluxKind.BUCKET, FluxKind.KUSTOMIZATION, FluxKind.HELM_RELEASE, FluxKind.ALERT, FluxKind.PROVIDER,
            FluxKind.RECEIVER, FluxKind.IMAGE_UPDATE_AUTOMATION, FluxKind.IMAGE_POLICY, FluxKind.IMAGE_REPOSITORY);

    @Option(names = {"-A", "--all-namespaces"}, description = "The statistics of objects across all namespaces.")
    boolean allNamespaces;

    @Override
    public Integer call() {
        List<List<String>> rows = new ArrayList<>();
        for (FluxKind kind : KINDS) {
            // a kind whose CRD is absent counts as none, as in flux
            List<GenericKubernetesResource> items = FluxObjects.list(kube.client(), kind, allNamespaces ? null : kube.namespace())
                    .orElse(List.of());
            int suspended = 0;
            int failing = 0;
            long size = 0;
            for (GenericKubernetesResource item : items) {
                if (FluxObjects.suspended(item)) {
                    suspended++;
                }
                if (FluxObjects.condition(item, "Ready").map(c -> "False".equals(c.get("status"))).orElse(false)) {
                    failing++;
                }
                if (FluxObjects.map(FluxObjects.status(item).get("artifact")).get("size") instanceof Number n) {
                    size += n.longValue();
                }
            }
            rows.add(List.of(kind.kind(), String.valueOf(items.size() - suspended), String.valueOf(failing),
                    String.valueOf(suspended), size(size)));
        }
        print(Console.table(List.of("Reconcilers", "Running", "Failing", "Suspended", "Storage"), rows));
        return 0;
    }

    /** Binary units with one decimal (1.5 KiB), "-" for nothing, as flux prints storage. */
    static String size(long bytes) {
        if (bytes == 0) {
            return "-";
        }
        if (bytes < 1024) {
            return bytes + " B";
        }
        long div = 1024;
        int exp = 0;
        for (long n = bytes / 1024; n >= 1024; n /= 1024) {
            div *= 1024;
            exp++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %ciB", (double) bytes / div, "KMGTPE".charAt(exp));
    }
}
