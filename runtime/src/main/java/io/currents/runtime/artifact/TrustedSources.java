package io.currents.runtime.artifact;

import java.util.Set;

/**
 * The source kinds whose {@code status.artifact} a Currents controller writes, so that kustomize-, helm- and
 * source-controller may download and use what it points at. The status of any other kind (ExternalArtifact
 * until a Currents controller writes it) can be written by whoever may update its status subresource: trusting
 * it would let that person choose the URL the controllers fetch and the manifests they apply as cluster-admin.
 * A kind joins this set in the change that makes a Currents controller write its artifacts.
 */
public final class TrustedSources {

    /**
     * Kinds reconciled by Currents' source-controller, and ExternalArtifact, written by source-watcher from an
     * ArtifactGenerator (consumers read it only with their {@code ExternalArtifact} feature gate on, which the install
     * turns on together with source-watcher).
     */
    public static final Set<String> KINDS = Set.of("GitRepository", "OCIRepository", "HelmRepository", "HelmChart", "Bucket",
            "ExternalArtifact");

    private TrustedSources() {
    }

    public static boolean isTrusted(String kind) {
        return KINDS.contains(kind);
    }

    /** Why an artifact of {@code kind} is not used, for a Ready=False message. */
    public static String refusal(String kind, String subject) {
        return "source " + subject + ": no Currents controller reconciles " + kind + ", so its status.artifact is not"
                + " trusted (see docs/security.md)";
    }
}
