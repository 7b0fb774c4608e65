package io.currents.cli.ops.create;

import com.fasterxml.jackson.databind.JsonNode;
import io.currents.api.helm.v2.CrossNamespaceObjectReference;
import io.currents.api.helm.v2.CrossNamespaceSourceReference;
import io.currents.api.helm.v2.HelmChartTemplate;
import io.currents.api.helm.v2.HelmChartTemplateSpec;
import io.currents.api.helm.v2.HelmRelease;
import io.currents.api.helm.v2.HelmReleaseSpec;
import io.currents.api.helm.v2.Install;
import io.currents.api.meta.DependencyReference;
import io.currents.api.meta.ValuesReference;
import io.currents.cli.ops.FluxKind;
import io.currents.cli.ops.FluxObjects;
import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import io.currents.kustomize.yaml.YamlReader;
import io.fabric8.kubernetes.client.utils.Serialization;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code currents create helmrelease}: a HelmRelease of a chart from a source, or of a chart reference. */
@Command(mixinStandardHelpOptions = true)
final class HelmReleaseCommand extends CreateCommand {

    @Option(names = "--source", description = "Chart source: <kind>/<name>[.<namespace>] (HelmRepository, GitRepository or Bucket).")
    String source;
    @Option(names = "--chart", description = "Chart name (from a HelmRepository) or path (in a GitRepository or Bucket).")
    String chart;
    @Option(names = "--chart-version", description = "Chart version range (semver).")
    String chartVersion;
    @Option(names = "--chart-ref", description = "Chart reference: <kind>/<name>[.<namespace>] (OCIRepository or HelmChart).")
    String chartRef;
    @Option(names = "--reconcile-strategy", defaultValue = "ChartVersion", description = "ChartVersion or Revision (default: ${DEFAULT-VALUE}).")
    String reconcileStrategy;
    @Option(names = "--release-name", description = "Name of the Helm release.")
    String releaseName;
    @Option(names = "--target-namespace", description = "Namespace to install the release into.")
    String targetNamespace;
    @Option(names = "--create-target-namespace", description = "Create the target namespace if missing.")
    boolean createTargetNamespace;
    @Option(names = "--storage-namespace", description = "Namespace of the Helm storage.")
    String storageNamespace;
    @Option(names = "--depends-on", split = ",", description = "HelmReleases that must be ready first: <name>[.<namespace>].")
    List<String> dependsOn = new ArrayList<>();
    @Option(names = "--values", description = "Values files, merged in order.")
    List<Path> values = new ArrayList<>();
    @Option(names = "--values-from", split = ",", description = "Values from <kind>/<name> (Secret or ConfigMap).")
    List<String> valuesFrom = new ArrayList<>();
    @Option(names = "--service-account", description = "Service account to impersonate.")
    String serviceAccount;
    @Mixin
    IntervalOption interval = new IntervalOption();

    HelmReleaseCommand() {
        super(FluxKind.HELM_RELEASE, FluxKind.HELM_RELEASE.kind(), true);
    }

    @Override
    HelmRelease object() {
        HelmReleaseSpec spec = new HelmReleaseSpec();
        spec.setInterval(interval.formatted());
        if (chartRef != null) {
            spec.setChartRef(ObjectRef.parse(chartRef, null, "--chart-ref").as(CrossNamespaceSourceReference.class));
        } else {
            if (source == null || chart == null) {
                throw new CliException("a chart is required; use --source and --chart, or --chart-ref", ExitCodes.USAGE);
            }
            HelmChartTemplateSpec chartSpec = new HelmChartTemplateSpec();
            chartSpec.setChart(chart);
            chartSpec.setReconcileStrategy(reconcileStrategy);
            chartSpec.setSourceRef(ObjectRef.parse(source, null, "--source").as(CrossNamespaceObjectReference.class));
            chartSpec.setVersion(Flags.orNull(chartVersion));
            HelmChartTemplate template = new HelmChartTemplate();
            template.setSpec(chartSpec);
            spec.setChart(template);
        }
        spec.setReleaseName(Flags.orNull(releaseName));
        spec.setTargetNamespace(Flags.orNull(targetNamespace));
        if (createTargetNamespace) {
            Install install = new Install();
            install.setCreateNamespace(true);
            spec.setInstall(install);
        }
        spec.setStorageNamespace(Flags.orNull(storageNamespace));
        spec.setDependsOn(Flags.orNull(dependsOn.stream().map(d -> ObjectRef.dependency(d, false).as(DependencyReference.class)).toList()));
        spec.setServiceAccountName(Flags.orNull(serviceAccount));
        spec.setValues(values());
        List<ValuesReference> from = new ArrayList<>();
        for (String v : valuesFrom) {
            ObjectRef ref = ObjectRef.parse(v, null, "--values-from");
            Flags.oneOf(ref.kind(), List.of("Secret", "ConfigMap"), "invalid --values-from '" + v + "'; the kind must be Secret or ConfigMap");
            if (ref.namespace() != null) {
                throw new CliException("invalid --values-from '" + v + "'; values come from the HelmRelease's own namespace: "
                        + "drop '." + ref.namespace() + "'", ExitCodes.USAGE);
            }
            from.add(ref.as(ValuesReference.class));
        }
        spec.setValuesFrom(Flags.orNull(from));
        return flux(new HelmRelease(), spec);
    }

    /** The --values files merged in order (maps deeply, other values replaced), or null without files. */
    private JsonNode values() {
        if (values.isEmpty()) {
            return null;
        }
        Map<String, Object> merged = new LinkedHashMap<>();
        for (Path file : values) {
            try {
                Object read = YamlReader.read(Files.readString(file), false);
                if (read instanceof Map<?, ?> m) {
                    merge(merged, FluxObjects.map(m));
                } else if (read != null) {
                    throw new CliException("values file " + file + " must hold a YAML map", ExitCodes.USAGE);
                }
            } catch (IOException e) {
                throw new CliException("cannot read values file " + file + "; check the path given to --values", ExitCodes.FAILURE, e);
            }
        }
        return Serialization.jsonMapper().valueToTree(merged);
    }

    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> into, Map<String, Object> from) {
        from.forEach((k, v) -> {
            if (v instanceof Map<?, ?> m && into.get(k) instanceof Map<?, ?> existing) {
                Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) existing);
                merge(copy, (Map<String, Object>) m);
                into.put(k, copy);
            } else {
                into.put(k, v);
            }
        });
    }
}
