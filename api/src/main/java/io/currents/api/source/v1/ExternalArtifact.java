package io.currents.api.source.v1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.currents.api.meta.Artifact;
import io.currents.api.meta.FluxObject;
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

/**
 * An artifact produced by a controller other than source-controller (here: source-watcher's
 * ArtifactGenerator), stored and served in the same format, and consumed like any source.
 */
@Annotations("kustomize.toolkit.fluxcd.io/substitute=disabled")
@Group("source.toolkit.fluxcd.io")
@Version("v1")
@Kind("ExternalArtifact")
@Plural("externalartifacts")
@Singular("externalartifact")
@ShortNames({"ea"})
@Categories({"all", "fluxcd", "fluxcd-sources"})
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Status", jsonPath = ".status.conditions[?(@.type==\"Ready\")].message", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Source", jsonPath = ".spec.sourceRef.name", type = AdditionalPrinterColumn.Type.STRING)
public class ExternalArtifact extends CustomResource<ExternalArtifactSpec, ExternalArtifactStatus> implements Namespaced, FluxObject, ArtifactSource {

    /** The last stored artifact, or null. */
    @JsonIgnore
    @Override
    public Artifact getArtifact() {
        return getStatus() == null ? null : getStatus().getArtifact();
    }
}
