package io.currents.runtime.manifests;

/** The reasons kustomize-controller gives on a Kustomization's conditions, in Flux's words. */
public final class Reasons {

    public static final String ARTIFACT_FAILED = "ArtifactFailed";
    public static final String BUILD_FAILED = "BuildFailed";
    /** Flux reports SOPS failures as build failures. */
    public static final String DECRYPTION_FAILED = BUILD_FAILED;
    public static final String RECONCILIATION_FAILED = "ReconciliationFailed";
    public static final String RECONCILIATION_SUCCEEDED = "ReconciliationSucceeded";
    public static final String HEALTH_CHECK_FAILED = "HealthCheckFailed";
    public static final String DEPENDENCY_NOT_READY = "DependencyNotReady";
    /** A healthCheckExprs or dependsOn readyExpr that does not compile: stalled until the spec changes. */
    public static final String INVALID_CEL_EXPRESSION = "InvalidCELExpression";
    /** Flux's prefix for failures that retrying cannot fix. */
    public static final String TERMINAL_ERROR_MESSAGE = "Reconciliation failed terminally due to configuration error";
    /** Flux's reason for a field that needs a feature gate which is off (here: one this controller does not have). */
    public static final String FEATURE_GATE_DISABLED = "FeatureGateDisabled";
    public static final String PRUNE_FAILED = "PruneFailed";
    public static final String ACCESS_DENIED = "AccessDenied";
    public static final String PROGRESSING = "Progressing";
    /**
     * Not Flux's (Flux's kustomize-controller leaves kustomize's stderr notices in its log): the Warning event
     * listing the notices of a build, e.g. deprecated kustomization fields.
     */
    public static final String BUILD_WARNING = "BuildWarning";
    public static final String SUCCEEDED = "Succeeded";

    private Reasons() {
    }
}
