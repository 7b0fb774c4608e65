package io.currents.api.image.v1;

import io.currents.api.meta.FluxSpec;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.FluxMeta;
import io.currents.api.meta.NamespacedObjectReference;
import io.currents.api.meta.OneOf;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** Desired state of an ImagePolicy: which tags of an ImageRepository qualify and how the latest is chosen. */
@ValidationRule(value = "!has(self.interval) || (has(self.digestReflectionPolicy) && self.digestReflectionPolicy == 'Always')",
        message = "spec.interval is only accepted when spec.digestReflectionPolicy is set to 'Always'")
@ValidationRule(value = "has(self.interval) || !has(self.digestReflectionPolicy) || self.digestReflectionPolicy != 'Always'",
        message = "spec.interval must be set when spec.digestReflectionPolicy is set to 'Always'")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImagePolicySpec implements FluxSpec {

    @Required
    private NamespacedObjectReference imageRepositoryRef;

    @Required
    private ImagePolicyChoice policy;

    private TagFilter filterTags;

    @Default("Never")
    @OneOf({"Always", "IfNotPresent", "Never"})
    private String digestReflectionPolicy;

    @Pattern(FluxMeta.DURATION_PATTERN)
    private String interval;

    private Boolean suspend;

    public NamespacedObjectReference getImageRepositoryRef() {
        return imageRepositoryRef;
    }

    public void setImageRepositoryRef(NamespacedObjectReference imageRepositoryRef) {
        this.imageRepositoryRef = imageRepositoryRef;
    }

    public ImagePolicyChoice getPolicy() {
        return policy;
    }

    public void setPolicy(ImagePolicyChoice policy) {
        this.policy = policy;
    }

    public TagFilter getFilterTags() {
        return filterTags;
    }

    public void setFilterTags(TagFilter filterTags) {
        this.filterTags = filterTags;
    }

    public String getDigestReflectionPolicy() {
        return digestReflectionPolicy;
    }

    public void setDigestReflectionPolicy(String digestReflectionPolicy) {
        this.digestReflectionPolicy = digestReflectionPolicy;
    }

    public String getInterval() {
        return interval;
    }

    public void setInterval(String interval) {
        this.interval = interval;
    }

    public Boolean getSuspend() {
        return suspend;
    }

    public void setSuspend(Boolean suspend) {
        this.suspend = suspend;
    }
}
