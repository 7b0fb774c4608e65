package io.currents.cli.ops;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The Flux kinds the everyday commands work on, with the words flux uses for each: the API kind ("Kustomization"),
 * the human kind of suspend/resume messages ("source git") and the columns of {@code get}.
 */
public enum FluxKind {
    GIT_REPOSITORY("GitRepository", "source.toolkit.fluxcd.io", "v1", "gitrepositories", "source git", Columns.REVISION),
    OCI_REPOSITORY("OCIRepository", "source.toolkit.fluxcd.io", "v1", "ocirepositories", "source oci", Columns.REVISION),
    HELM_REPOSITORY("HelmRepository", "source.toolkit.fluxcd.io", "v1", "helmrepositories", "source helm", Columns.REVISION),
    BUCKET("Bucket", "source.toolkit.fluxcd.io", "v1", "buckets", "source bucket", Columns.REVISION),
    HELM_CHART("HelmChart", "source.toolkit.fluxcd.io", "v1", "helmcharts", "source chart", Columns.REVISION),
    EXTERNAL_ARTIFACT("ExternalArtifact", "source.toolkit.fluxcd.io", "v1", "externalartifacts", "source external", Columns.EXTERNAL),
    ARTIFACT_GENERATOR("ArtifactGenerator", "source.extensions.fluxcd.io", "v1beta1", "artifactgenerators", "artifact generator",
            Columns.GENERATOR),
    KUSTOMIZATION("Kustomization", "kustomize.toolkit.fluxcd.io", "v1", "kustomizations", "kustomization", Columns.REVISION),
    HELM_RELEASE("HelmRelease", "helm.toolkit.fluxcd.io", "v2", "helmreleases", "helmrelease", Columns.REVISION),
    ALERT("Alert", "notification.toolkit.fluxcd.io", "v1beta3", "alerts", "alert", Columns.STATIC_SUSPENDABLE),
    PROVIDER("Provider", "notification.toolkit.fluxcd.io", "v1beta3", "providers", "alert-provider", Columns.STATIC),
    RECEIVER("Receiver", "notification.toolkit.fluxcd.io", "v1", "receivers", "receiver", Columns.SUSPENDABLE),
    IMAGE_REPOSITORY("ImageRepository", "image.toolkit.fluxcd.io", "v1", "imagerepositories", "image repository", Columns.LAST_SCAN),
    IMAGE_POLICY("ImagePolicy", "image.toolkit.fluxcd.io", "v1", "imagepolicies", "image policy", Columns.LATEST_IMAGE),
    IMAGE_UPDATE_AUTOMATION("ImageUpdateAutomation", "image.toolkit.fluxcd.io", "v1", "imageupdateautomations", "image update",
            Columns.LAST_RUN);

    /** How {@code get} summarises one kind. */
    enum Columns { REVISION, SUSPENDABLE, STATIC_SUSPENDABLE, STATIC, LAST_SCAN, LATEST_IMAGE, LAST_RUN, EXTERNAL, GENERATOR }

    public static final List<FluxKind> SOURCES = List.of(GIT_REPOSITORY, OCI_REPOSITORY, HELM_REPOSITORY, BUCKET, HELM_CHART,
            EXTERNAL_ARTIFACT);
    public static final List<FluxKind> IMAGES = List.of(IMAGE_REPOSITORY, IMAGE_POLICY, IMAGE_UPDATE_AUTOMATION);

    private final String kind;
    private final String group;
    private final String version;
    private final String plural;
    private final String humanKind;
    private final Columns columns;

    FluxKind(String kind, String group, String version, String plural, String humanKind, Columns columns) {
        this.kind = kind;
        this.group = group;
        this.version = version;
        this.plural = plural;
        this.humanKind = humanKind;
        this.columns = columns;
    }

    public String kind() {
        return kind;
    }

    public String group() {
        return group;
    }

    public String apiVersion() {
        return group + "/" + version;
    }

    public String plural() {
        return plural;
    }

    /** The words flux prints in suspend and resume messages, e.g. {@code source git}. */
    public String humanKind() {
        return humanKind;
    }

    Columns columns() {
        return columns;
    }

    public ResourceDefinitionContext context() {
        return new ResourceDefinitionContext.Builder()
                .withGroup(group).withVersion(version).withKind(kind).withPlural(plural).withNamespaced(true).build();
    }

    /** Whether the kind has a Ready condition written by a controller (v1beta3 alerts and providers have no status). */
    public boolean reconciled() {
        return columns != Columns.STATIC && columns != Columns.STATIC_SUSPENDABLE;
    }

    /**
     * Whether flux has reconcile, suspend and resume commands for the kind: not for ExternalArtifacts (their producer
     * reconciles them) nor ArtifactGenerators (suspended by their {@code source.extensions.fluxcd.io/reconcile}
     * annotation).
     */
    public boolean driven() {
        return columns != Columns.EXTERNAL && columns != Columns.GENERATOR;
    }

    /** Looks a kind up by its Kind name, case-insensitively (also accepts flux's short names such as ks and hr). */
    public static Optional<FluxKind> byKind(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (FluxKind k : values()) {
            if (k.kind.toLowerCase(Locale.ROOT).equals(lower) || k.plural.equals(lower)) {
                return Optional.of(k);
            }
        }
        return switch (lower) {
            case "ks" -> Optional.of(KUSTOMIZATION);
            case "hr" -> Optional.of(HELM_RELEASE);
            default -> Optional.empty();
        };
    }
}
