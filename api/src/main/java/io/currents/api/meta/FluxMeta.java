package io.currents.api.meta;

/**
 * Names shared by all Flux APIs: condition types and reasons, annotations, labels, the finalizer
 * and the validation patterns, with the same values as Flux's {@code fluxcd/pkg/apis/meta}.
 */
public final class FluxMeta {

    private FluxMeta() {
    }

    /** Pattern of every interval and duration field, e.g. {@code 1m30s}. */
    public static final String DURATION_PATTERN = "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$";

    /** Pattern of timeout fields that Flux limits to minutes, e.g. {@code 60s}. */
    public static final String TIMEOUT_PATTERN = "^([0-9]+(\\.[0-9]+)?(ms|s|m))+$";

    /** Finalizer every Flux controller puts on the objects it reconciles. */
    public static final String FINALIZER = "finalizers.fluxcd.io";

    // Condition types

    /** The object is reconciled and its outputs are in place. */
    public static final String READY_CONDITION = "Ready";

    /** A reconciliation is under way; present only while True. */
    public static final String RECONCILING_CONDITION = "Reconciling";

    /** Reconciliation cannot make progress without a change of the object; present only while True. */
    public static final String STALLED_CONDITION = "Stalled";

    /** Last health assessment of the applied objects (Kustomization, HelmRelease). */
    public static final String HEALTHY_CONDITION = "Healthy";

    // Condition reasons

    public static final String SUCCEEDED_REASON = "Succeeded";
    public static final String FAILED_REASON = "Failed";
    public static final String PROGRESSING_REASON = "Progressing";
    public static final String PROGRESSING_WITH_RETRY_REASON = "ProgressingWithRetry";
    public static final String SUSPENDED_REASON = "Suspended";
    public static final String DEPENDENCY_NOT_READY_REASON = "DependencyNotReady";
    public static final String RECONCILIATION_SUCCEEDED_REASON = "ReconciliationSucceeded";
    public static final String RECONCILIATION_FAILED_REASON = "ReconciliationFailed";
    public static final String ARTIFACT_FAILED_REASON = "ArtifactFailed";
    public static final String BUILD_FAILED_REASON = "BuildFailed";
    public static final String HEALTH_CHECK_FAILED_REASON = "HealthCheckFailed";
    public static final String PRUNE_FAILED_REASON = "PruneFailed";
    public static final String INVALID_CEL_EXPRESSION_REASON = "InvalidCELExpression";
    public static final String FEATURE_GATE_DISABLED_REASON = "FeatureGateDisabled";

    // Annotations

    /** Requests a reconciliation now; any new value triggers one. */
    public static final String RECONCILE_REQUEST_ANNOTATION = "reconcile.fluxcd.io/requestedAt";

    /** Forces a one-off Helm release when equal to the reconcile request value. */
    public static final String FORCE_REQUEST_ANNOTATION = "reconcile.fluxcd.io/forceAt";

    /** Resets the HelmRelease failure counters when equal to the reconcile request value. */
    public static final String RESET_REQUEST_ANNOTATION = "reconcile.fluxcd.io/resetAt";

    /** On an applied object: {@code disabled} stops Flux from updating it. */
    public static final String KUSTOMIZE_RECONCILE_ANNOTATION = "kustomize.toolkit.fluxcd.io/reconcile";

    /** On an applied object: {@code disabled} keeps it when it leaves the source. */
    public static final String KUSTOMIZE_PRUNE_ANNOTATION = "kustomize.toolkit.fluxcd.io/prune";

    /** On an applied object: server-side apply policy, one of {@code Merge}, {@code IfNotPresent}, {@code Ignore}, {@code Override}. */
    public static final String KUSTOMIZE_SSA_ANNOTATION = "kustomize.toolkit.fluxcd.io/ssa";

    /** On an applied object: {@code enabled} recreates it when an immutable field changes. */
    public static final String KUSTOMIZE_FORCE_ANNOTATION = "kustomize.toolkit.fluxcd.io/force";

    /** On an applied object or a CRD: {@code disabled} skips variable substitution. */
    public static final String KUSTOMIZE_SUBSTITUTE_ANNOTATION = "kustomize.toolkit.fluxcd.io/substitute";

    /** On an object of a Helm release: {@code disabled} leaves it out of drift detection. */
    public static final String HELM_DRIFT_DETECTION_ANNOTATION = "helm.toolkit.fluxcd.io/driftDetection";

    public static final String ENABLED_VALUE = "enabled";
    public static final String DISABLED_VALUE = "disabled";

    // Labels

    public static final String KUSTOMIZE_NAME_LABEL = "kustomize.toolkit.fluxcd.io/name";
    public static final String KUSTOMIZE_NAMESPACE_LABEL = "kustomize.toolkit.fluxcd.io/namespace";
    public static final String HELM_NAME_LABEL = "helm.toolkit.fluxcd.io/name";
    public static final String HELM_NAMESPACE_LABEL = "helm.toolkit.fluxcd.io/namespace";

    /** On a Secret or ConfigMap: {@code Enabled} makes Flux reconcile the objects that reference it when it changes. */
    public static final String WATCH_LABEL = "toolkit.fluxcd.io/watch";
    public static final String WATCH_ENABLED_VALUE = "Enabled";

    /** Tenant label set on objects of multi-tenant installations. */
    public static final String TENANT_LABEL = "toolkit.fluxcd.io/tenant";

    // Event metadata keys

    public static final String REVISION_METADATA_KEY = "revision";
    public static final String DIGEST_METADATA_KEY = "digest";
    public static final String TOKEN_METADATA_KEY = "token";
}
