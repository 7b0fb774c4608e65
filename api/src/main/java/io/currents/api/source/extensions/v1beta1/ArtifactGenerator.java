package io.currents.api.source.extensions.v1beta1;

import io.currents.api.meta.FluxObject;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.Annotations;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** Composes files of source artifacts into ExternalArtifacts (or splits one source into several); reconciled by source-watcher. */
@Annotations("kustomize.toolkit.fluxcd.io/substitute=disabled")
@Group("source.extensions.fluxcd.io")
@Version("v1beta1")
@Kind("ArtifactGenerator")
@Plural("artifactgenerators")
@Singular("artifactgenerator")
@ShortNames({"ag"})
@Categories({"all", "fluxcd", "fluxcd-sources"})
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Status", jsonPath = ".status.conditions[?(@.type==\"Ready\")].message", type = AdditionalPrinterColumn.Type.STRING)
public class ArtifactGenerator extends CustomResource<ArtifactGeneratorSpec, ArtifactGeneratorStatus> implements Namespaced, FluxObject {

    /** Label on every ExternalArtifact a generator owns, so it can list and garbage-collect them. */
    public static final String GENERATOR_LABEL = "source.extensions.fluxcd.io/generator";
    /** Finalizer that lets the controller garbage-collect the generated artifacts and their files. */
    public static final String FINALIZER = "source.extensions.fluxcd.io/finalizer";
    /** Annotation on an ExternalArtifact holding the origin revision (e.g. the monorepo commit). */
    public static final String ORIGIN_REVISION_ANNOTATION = "org.opencontainers.image.revision";
    /** {@code Disabled} (any case) on this annotation suspends reconciliation, as {@code spec.suspend} does for other kinds. */
    public static final String RECONCILE_ANNOTATION = "source.extensions.fluxcd.io/reconcile";

    public static final String RECONCILIATION_DISABLED_REASON = "ReconciliationDisabled";
    public static final String ACCESS_DENIED_REASON = "AccessDenied";
    public static final String VALIDATION_FAILED_REASON = "ValidationFailed";
    public static final String SOURCE_FETCH_FAILED_REASON = "SourceFetchFailed";
    public static final String BUILD_FAILED_REASON = "BuildFailed";

    public static final String STRATEGY_OVERWRITE = "Overwrite";
    public static final String STRATEGY_MERGE = "Merge";
    public static final String STRATEGY_EXTRACT = "Extract";
}
