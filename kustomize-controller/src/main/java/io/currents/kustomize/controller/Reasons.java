package io.currents.kustomize.controller;

/** The reasons kustomize-controller gives on a Kustomization's conditions, in Flux's words. */
final class Reasons {

    static final String ARTIFACT_FAILED = "ArtifactFailed";
    static final String BUILD_FAILED = "BuildFailed";
    /** Flux reports SOPS failures as build failures. */
    static final String DECRYPTION_FAILED = BUILD_FAILED;
    static final String RECONCILIATION_FAILED = "ReconciliationFailed";
    static final String RECONCILIATION_SUCCEEDED = "ReconciliationSucceeded";
    static final String HEALTH_CHECK_FAILED = "HealthCheckFailed";
    static final String DEPENDENCY_NOT_READY = "DependencyNotReady";
    static final String PRUNE_FAILED = "PruneFailed";
    static final String ACCESS_DENIED = "AccessDenied";
    static final String PROGRESSING = "Progressing";
    static final String SUCCEEDED = "Succeeded";

    private Reasons() {
    }
}
