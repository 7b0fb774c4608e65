package io.currents.notification.controller;

import java.util.Map;

/** The API version of each Flux kind that Alerts and Receivers may reference, used when a reference has none. */
final class FluxKinds {

    private static final Map<String, String> API_VERSIONS = Map.ofEntries(
            Map.entry("GitRepository", "source.toolkit.fluxcd.io/v1"),
            Map.entry("OCIRepository", "source.toolkit.fluxcd.io/v1"),
            Map.entry("HelmRepository", "source.toolkit.fluxcd.io/v1"),
            Map.entry("HelmChart", "source.toolkit.fluxcd.io/v1"),
            Map.entry("Bucket", "source.toolkit.fluxcd.io/v1"),
            Map.entry("Kustomization", "kustomize.toolkit.fluxcd.io/v1"),
            Map.entry("HelmRelease", "helm.toolkit.fluxcd.io/v2"),
            Map.entry("ImageRepository", "image.toolkit.fluxcd.io/v1"),
            Map.entry("ImagePolicy", "image.toolkit.fluxcd.io/v1"),
            Map.entry("ImageUpdateAutomation", "image.toolkit.fluxcd.io/v1"),
            Map.entry("ArtifactGenerator", "source.extensions.fluxcd.io/v1beta1"),
            Map.entry("ExternalArtifact", "source.toolkit.fluxcd.io/v1"));

    private FluxKinds() {
    }

    static String apiVersionOf(String kind) {
        return API_VERSIONS.get(kind);
    }
}
