package io.currents.cli.ops;

import io.currents.api.helm.v2.HelmRelease;
import io.currents.api.kustomize.v1.PostBuild;
import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import io.currents.cli.output.OutputFormat;
import io.currents.runtime.helm.HelmValues;
import io.currents.runtime.manifests.PostBuildVariables;
import io.currents.runtime.reconcile.ReconcileFailure;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code currents debug kustomization|helmrelease <name> --show-status|--show-history|--show-vars|--show-values}: the
 * object's status or history as YAML; for Kustomizations the post-build variables the controller substitutes with,
 * read from {@code spec.postBuild.substitute} and the ConfigMaps and Secrets of {@code substituteFrom} by the
 * controller's own code, as dot-env lines; for HelmReleases the final values, composed by helm-controller's code.
 */
@Command
public final class DebugCommand extends ClusterCommand {

    @Parameters(index = "0", paramLabel = "<name>", description = "Name of the object.")
    String name;

    @Option(names = "--show-status", description = "Print the status of the object.")
    boolean showStatus;

    @Option(names = "--show-history", description = "Print the reconciliation history of the object.")
    boolean showHistory;

    @Option(names = "--show-vars", description = "Print the final post-build variables in dot-env format (Kustomizations).")
    boolean showVars;

    @Option(names = "--show-values", description = "Print the final values of the HelmRelease, composed from spec.valuesFrom"
            + " (ConfigMaps and Secrets) and spec.values as helm-controller composes them.")
    boolean showValues;

    private final FluxKind kind;

    public DebugCommand(FluxKind kind) {
        this.kind = kind;
    }

    @Override
    public Integer call() {
        int set = (showStatus ? 1 : 0) + (showHistory ? 1 : 0) + (showVars ? 1 : 0) + (showValues ? 1 : 0);
        if (set != 1) {
            throw new CliException("exactly one of --show-status, --show-history"
                    + (kind == FluxKind.KUSTOMIZATION ? ", or --show-vars" : ", or --show-values") + " must be set", ExitCodes.USAGE);
        }
        GenericKubernetesResource object = FluxObjects.require(kube.client(), kind, kube.namespace(), name);
        String docs = kind == FluxKind.KUSTOMIZATION ? "https://fluxcd.io/flux/components/kustomize/kustomizations/"
                : "https://fluxcd.io/flux/components/helm/helmreleases/";
        if (showStatus) {
            print("# Status documentation: " + docs + "#" + kind.kind().toLowerCase(java.util.Locale.ROOT) + "-status\n"
                    + yaml(FluxObjects.status(object)));
        } else if (showHistory) {
            Object history = FluxObjects.status(object).get("history");
            print("# History documentation: " + docs + "#history\n" + (history == null ? "[]\n" : yaml(history)));
        } else if (showValues) {
            print(values(object));
        } else {
            print(variables(object));
        }
        return 0;
    }

    /** The values helm-controller would install with, by its own composition code (runtime's HelmValues). */
    private String values(GenericKubernetesResource object) {
        HelmRelease release = Serialization.jsonMapper().convertValue(object, HelmRelease.class);
        try {
            var values = HelmValues.compose(kube.client(), release);
            return values.isEmpty() ? "{}\n" : yaml(Serialization.jsonMapper().convertValue(values, Map.class));
        } catch (HelmValues.ValuesError e) {
            throw new CliException(e.getMessage());
        }
    }

    private String variables(GenericKubernetesResource object) {
        Object raw = FluxObjects.spec(object).get("postBuild");
        if (raw == null) {
            throw new CliException("no post build substitutions found");
        }
        PostBuild postBuild = Serialization.jsonMapper().convertValue(raw, PostBuild.class);
        Map<String, String> values;
        try {
            values = new TreeMap<>(PostBuildVariables.load(kube.client(), kube.namespace(), postBuild).values());
        } catch (ReconcileFailure e) {
            throw new CliException(e.getMessage());
        }
        if (postBuild.getSubstitute() != null) {
            postBuild.getSubstitute().forEach(values::put);
        }
        StringBuilder out = new StringBuilder();
        // newlines are dropped, as the controller drops them before substituting
        values.forEach((k, v) -> out.append(k).append('=').append(v == null ? "" : v.replace("\n", "")).append('\n'));
        return out.toString();
    }

    private static String yaml(Object value) {
        String text = OutputFormat.yaml.render(value instanceof Map<?, ?> ? value : Map.of("history", value));
        text = text.startsWith("---\n") ? text.substring(4) : text;
        if (!(value instanceof Map<?, ?>)) {
            // a list: its items without the wrapper key (sequences are not indented under their key)
            text = text.substring("history:\n".length());
        }
        return text;
    }

    static List<FluxKind> kinds() {
        return List.of(FluxKind.KUSTOMIZATION, FluxKind.HELM_RELEASE);
    }
}
