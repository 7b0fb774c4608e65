package io.currents.helm.controller;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.currents.api.meta.FluxMeta;
import io.currents.runtime.apply.Action;
import io.currents.api.helm.v2.IgnoreRule;
import io.currents.runtime.apply.ApplyOptions;
import io.currents.runtime.apply.IgnoreRules;
import io.currents.runtime.apply.ServerSideApplier;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Compares a release's rendered objects with the cluster by server-side dry-run apply (field manager
 * {@code helm-controller}) and, when asked, corrects what drifted by applying the release's version of it.
 * Objects annotated {@code helm.toolkit.fluxcd.io/driftDetection: disabled} are left alone.
 */
final class DriftDetector {

    static final String FIELD_MANAGER = "helm-controller";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** What differs: one line per object ({@code Kind/namespace/name}) and whether it is missing or changed. */
    record Drift(List<GenericKubernetesResource> objects, List<String> lines) {
        boolean any() {
            return !objects.isEmpty();
        }
    }

    private final ServerSideApplier applier;
    private final ApplyOptions options;

    /** @param ignore {@code spec.driftDetection.ignore}: fields left out of the comparison and the correction */
    DriftDetector(KubernetesClient client, List<IgnoreRule> ignore) {
        this.applier = new ServerSideApplier(client, FIELD_MANAGER);
        this.options = new ApplyOptions(false, Map.of(),
                Map.of(FluxMeta.HELM_DRIFT_DETECTION_ANNOTATION, FluxMeta.DISABLED_VALUE), Map.of(),
                ApplyOptions.Cleanup.none(), Duration.ofSeconds(2), Duration.ofSeconds(60),
                IgnoreRules.of(ignore == null ? null : ignore.stream().map(r -> new IgnoreRules.Rule(r.getPaths(), r.getTarget())).toList()));
    }

    Drift detect(StoredRelease release) throws IOException {
        List<GenericKubernetesResource> drifted = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (GenericKubernetesResource object : objects(release)) {
            ServerSideApplier.DryRun result = applier.dryRun(object, options);
            if (result.action() == Action.CREATED || result.action() == Action.CONFIGURED) {
                drifted.add(object);
                lines.add(result.ref().subject() + (result.action() == Action.CREATED ? " is missing" : " has changed"));
            }
        }
        return new Drift(drifted, lines);
    }

    /** Applies the release's version of each drifted object. */
    List<String> correct(Drift drift) {
        List<String> corrected = new ArrayList<>();
        for (GenericKubernetesResource object : drift.objects()) {
            var entry = applier.apply(object, options);
            corrected.add(entry.toString());
        }
        return corrected;
    }

    /** The objects of the release manifest, namespaced ones defaulted to the release namespace. */
    static List<GenericKubernetesResource> objects(StoredRelease release) throws IOException {
        List<GenericKubernetesResource> objects = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(release.manifest())) {
            var it = YAML.readValues(parser, Map.class);
            while (it.hasNext()) {
                Map<?, ?> doc = (Map<?, ?>) it.next();
                if (doc == null || doc.isEmpty() || !doc.containsKey("kind")) {
                    continue;
                }
                GenericKubernetesResource object = YAML.convertValue(doc, GenericKubernetesResource.class);
                if (object.getMetadata().getNamespace() == null || object.getMetadata().getNamespace().isEmpty()) {
                    object.getMetadata().setNamespace(release.namespace());
                }
                objects.add(object);
            }
        }
        return objects;
    }
}
