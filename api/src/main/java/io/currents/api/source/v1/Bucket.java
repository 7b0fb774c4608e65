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
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** An object storage bucket the source-controller downloads and packages as an artifact. */
@Annotations("kustomize.toolkit.fluxcd.io/substitute=disabled")
@Group("source.toolkit.fluxcd.io")
@Version("v1")
@Kind("Bucket")
@Plural("buckets")
@Singular("bucket")
@Categories({"all", "fluxcd", "fluxcd-sources"})
@AdditionalPrinterColumn(name = "Endpoint", jsonPath = ".spec.endpoint", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Status", jsonPath = ".status.conditions[?(@.type==\"Ready\")].message", type = AdditionalPrinterColumn.Type.STRING)
public class Bucket extends CustomResource<BucketSpec, BucketStatus> implements Namespaced, ArtifactSource {

    public static final String BUCKET_OPERATION_SUCCEEDED_REASON = "BucketOperationSucceeded";
    public static final String BUCKET_OPERATION_FAILED_REASON = "BucketOperationFailed";

    public static final String PROVIDER_GENERIC = "generic";
    public static final String PROVIDER_AWS = "aws";
    public static final String PROVIDER_GCP = "gcp";
    public static final String PROVIDER_AZURE = "azure";

    /** The last stored artifact, or null. */
    @JsonIgnore
    public Artifact getArtifact() {
        return getStatus() == null ? null : getStatus().getArtifact();
    }
}
