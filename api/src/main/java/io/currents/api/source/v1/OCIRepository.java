package io.currents.api.source.v1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.currents.api.meta.Artifact;
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

/** An OCI artifact the source-controller pulls from a container registry and stores as an artifact. */
@Group("source.toolkit.fluxcd.io")
@Version("v1")
@Kind("OCIRepository")
@Plural("ocirepositories")
@Singular("ocirepository")
@ShortNames({"ocirepo"})
@Categories({"all", "fluxcd", "fluxcd-sources"})
@AdditionalPrinterColumn(name = "URL", jsonPath = ".spec.url", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Status", jsonPath = ".status.conditions[?(@.type==\"Ready\")].message", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@Annotations("kustomize.toolkit.fluxcd.io/substitute=disabled")
public class OCIRepository extends CustomResource<OCIRepositorySpec, OCIRepositoryStatus> implements Namespaced, ArtifactSource {

    public static final String OCI_PULL_FAILED_REASON = "OCIArtifactPullFailed";
    public static final String OCI_LAYER_OPERATION_FAILED_REASON = "OCIArtifactLayerOperationFailed";

    public static final String LAYER_EXTRACT = "extract";
    public static final String LAYER_COPY = "copy";

    public static final String PROVIDER_GENERIC = "generic";
    public static final String PROVIDER_AWS = "aws";
    public static final String PROVIDER_AZURE = "azure";
    public static final String PROVIDER_GCP = "gcp";

    /** The last stored artifact, or null. */
    @JsonIgnore
    public Artifact getArtifact() {
        return getStatus() == null ? null : getStatus().getArtifact();
    }
}
