package io.currents.api.kustomize.v1;

import io.currents.api.meta.FluxObject;
import io.currents.api.meta.FluxMeta;
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

/** A kustomize overlay from a source, built and applied to the cluster by the kustomize-controller. */
@Annotations("kustomize.toolkit.fluxcd.io/substitute=disabled")
@Group("kustomize.toolkit.fluxcd.io")
@Version("v1")
@Kind("Kustomization")
@Plural("kustomizations")
@Singular("kustomization")
@ShortNames({"ks"})
@Categories({"all", "fluxcd", "fluxcd-appliers"})
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Status", jsonPath = ".status.conditions[?(@.type==\"Ready\")].message", type = AdditionalPrinterColumn.Type.STRING)
public class Kustomization extends CustomResource<KustomizationSpec, KustomizationStatus> implements Namespaced, FluxObject {

    public static final String HEALTHY_CONDITION = FluxMeta.HEALTHY_CONDITION;

    public static final String PRUNE_FAILED_REASON = "PruneFailed";
    public static final String ARTIFACT_FAILED_REASON = "ArtifactFailed";
    public static final String BUILD_FAILED_REASON = "BuildFailed";
    public static final String HEALTH_CHECK_FAILED_REASON = "HealthCheckFailed";
    public static final String DEPENDENCY_NOT_READY_REASON = "DependencyNotReady";
    public static final String RECONCILIATION_SUCCEEDED_REASON = "ReconciliationSucceeded";
    public static final String RECONCILIATION_FAILED_REASON = "ReconciliationFailed";
    public static final String PROGRESSING_WITH_RETRY_REASON = "ProgressingWithRetry";

    public static final String DELETION_POLICY_MIRROR_PRUNE = "MirrorPrune";
    public static final String DELETION_POLICY_DELETE = "Delete";
    public static final String DELETION_POLICY_WAIT_FOR_TERMINATION = "WaitForTermination";
    public static final String DELETION_POLICY_ORPHAN = "Orphan";
}
