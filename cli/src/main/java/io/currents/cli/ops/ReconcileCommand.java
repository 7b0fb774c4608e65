package io.currents.cli.ops;

import io.currents.cli.output.CliException;
import io.currents.cli.output.DurationConverter;
import io.currents.cli.output.ExitCodes;
import io.currents.api.meta.FluxMeta;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** {@code currents reconcile <kind> <name>}: asks the controller to reconcile now and waits for the result. */
@Command(mixinStandardHelpOptions = true)
public final class ReconcileCommand extends ClusterCommand {

    @Parameters(index = "0", paramLabel = "<name>", description = "Name of the object.")
    String name;

    @Option(names = "--with-source", description = "Reconcile the source (GitRepository, HelmChart, ...) first.")
    boolean withSource;

    @Option(names = "--force", description = "HelmRelease only: force a one-off install or upgrade of the release.")
    boolean force;

    @Option(names = "--reset", description = "HelmRelease only: reset the failure count of the release.")
    boolean reset;

    @Option(names = "--timeout", paramLabel = "<duration>", defaultValue = "5m", converter = DurationConverter.class,
            description = "How long to wait for the reconciliation (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    private final FluxKind kind;

    public ReconcileCommand(FluxKind kind) {
        this.kind = kind;
    }

    @Override
    public Integer call() {
        Duration limit = timeout;
        ReconcileRequests requests = new ReconcileRequests(kube.client(), newProgress(), Clock.systemUTC());
        String namespace = kube.namespace();
        if ((force || reset) && kind != FluxKind.HELM_RELEASE) {
            throw new CliException("--force and --reset work for helmreleases only", ExitCodes.USAGE);
        }
        GenericKubernetesResource object = FluxObjects.require(kube.client(), kind, namespace, name);
        if (withSource) {
            SourceRef source = sourceOf(kind, object);
            if (source == null) {
                throw new CliException("--with-source works for kustomizations and helmreleases only", ExitCodes.USAGE);
            }
            requests.reconcile(source.kind(), source.namespace(), source.name(), limit);
        }
        java.util.List<String> alsoAnnotate = new java.util.ArrayList<>();
        if (force) {
            alsoAnnotate.add(FluxMeta.FORCE_REQUEST_ANNOTATION);
        }
        if (reset) {
            alsoAnnotate.add(FluxMeta.RESET_REQUEST_ANNOTATION);
        }
        requests.reconcile(kind, namespace, name, limit, alsoAnnotate);
        return 0;
    }

    /** The source object an object reconciles from. */
    record SourceRef(FluxKind kind, String namespace, String name) {
    }

    static SourceRef sourceOf(FluxKind kind, GenericKubernetesResource object) {
        String namespace = object.getMetadata().getNamespace();
        Map<String, Object> spec = FluxObjects.spec(object);
        if (kind == FluxKind.KUSTOMIZATION) {
            Map<String, Object> ref = FluxObjects.map(spec.get("sourceRef"));
            return ref(FluxObjects.string(ref, "kind"), FluxObjects.string(ref, "namespace"), FluxObjects.string(ref, "name"), namespace);
        }
        if (kind == FluxKind.HELM_RELEASE) {
            Map<String, Object> chartRef = FluxObjects.map(spec.get("chartRef"));
            if (!chartRef.isEmpty()) {
                return ref(FluxObjects.string(chartRef, "kind"), FluxObjects.string(chartRef, "namespace"),
                        FluxObjects.string(chartRef, "name"), namespace);
            }
            String chartNamespace = FluxObjects.string(spec, "chart", "spec", "sourceRef", "namespace");
            return new SourceRef(FluxKind.HELM_CHART, chartNamespace.isEmpty() ? namespace : chartNamespace,
                    namespace + "-" + object.getMetadata().getName());
        }
        return null;
    }

    private static SourceRef ref(String kindName, String refNamespace, String name, String namespace) {
        FluxKind kind = FluxKind.byKind(kindName.isEmpty() ? "GitRepository" : kindName)
                .orElseThrow(() -> new CliException("unknown source kind '" + kindName + "'"));
        return new SourceRef(kind, refNamespace.isEmpty() ? namespace : refNamespace, name);
    }
}
