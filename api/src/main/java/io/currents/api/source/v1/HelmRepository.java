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

/** A Helm chart repository (HTTP/S index or OCI registry) the source-controller indexes. */
@Group("source.toolkit.fluxcd.io")
@Version("v1")
@Kind("HelmRepository")
@Plural("helmrepositories")
@Singular("helmrepository")
@ShortNames({"helmrepo"})
@Categories({"all", "fluxcd", "fluxcd-sources"})
@AdditionalPrinterColumn(name = "URL", jsonPath = ".spec.url", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Status", jsonPath = ".status.conditions[?(@.type==\"Ready\")].message", type = AdditionalPrinterColumn.Type.STRING)
@Annotations("kustomize.toolkit.fluxcd.io/substitute=disabled")
public class HelmRepository extends CustomResource<HelmRepositorySpec, HelmRepositoryStatus> implements Namespaced, ArtifactSource {

    public static final String INDEXATION_FAILED_REASON = "IndexationFailed";

    public static final String TYPE_DEFAULT = "default";
    public static final String TYPE_OCI = "oci";

    /** The last stored artifact, or null. */
    @JsonIgnore
    public Artifact getArtifact() {
        return getStatus() == null ? null : getStatus().getArtifact();
    }
}
