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

/** A Git repository the source-controller clones and packages as an artifact. */
@Group("source.toolkit.fluxcd.io")
@Version("v1")
@Kind("GitRepository")
@Plural("gitrepositories")
@Singular("gitrepository")
@ShortNames({"gitrepo"})
@Categories({"all", "fluxcd", "fluxcd-sources"})
@AdditionalPrinterColumn(name = "URL", jsonPath = ".spec.url", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Status", jsonPath = ".status.conditions[?(@.type==\"Ready\")].message", type = AdditionalPrinterColumn.Type.STRING)
@Annotations("kustomize.toolkit.fluxcd.io/substitute=disabled")
public class GitRepository extends CustomResource<GitRepositorySpec, GitRepositoryStatus> implements Namespaced, ArtifactSource {

    /** One of the included GitRepositories is missing or has no artifact; present only while True. */
    public static final String INCLUDE_UNAVAILABLE_CONDITION = "IncludeUnavailable";

    public static final String GIT_OPERATION_SUCCEEDED_REASON = "GitOperationSucceeded";
    public static final String GIT_OPERATION_FAILED_REASON = "GitOperationFailed";

    public static final String PROVIDER_GENERIC = "generic";
    public static final String PROVIDER_AZURE = "azure";
    public static final String PROVIDER_GITHUB = "github";
    public static final String PROVIDER_AWS = "aws";

    public static final String VERIFY_MODE_HEAD = "HEAD";
    public static final String VERIFY_MODE_TAG = "Tag";
    public static final String VERIFY_MODE_TAG_AND_HEAD = "TagAndHEAD";

    /** The last stored artifact, or null. */
    @JsonIgnore
    public Artifact getArtifact() {
        return getStatus() == null ? null : getStatus().getArtifact();
    }
}
