package io.currents.api.notification.v1;

import io.currents.api.meta.FluxSpec;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.FluxMeta;
import io.currents.api.meta.ListMap;
import io.currents.api.meta.LocalObjectReference;
import io.currents.api.meta.OneOf;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

import java.util.List;
import io.fabric8.generator.annotation.ValidationRule;

/** Desired state of a Receiver: the webhook type, how to authenticate it and which objects to reconcile. */
@ValidationRule(value = "self.type != 'generic-oidc' || (has(self.oidcProviders) && size(self.oidcProviders) > 0)",
        message = "generic-oidc receivers must define at least one oidcProvider")
@ValidationRule(value = "self.type == 'generic-oidc' || !has(self.oidcProviders) || size(self.oidcProviders) == 0",
        message = "oidcProviders can only be set when type is generic-oidc")
@ValidationRule(value = "self.type != 'generic-oidc' || !has(self.secretRef)",
        message = "secretRef cannot be set when type is generic-oidc")
@ValidationRule(value = "self.type == 'generic-oidc' || has(self.secretRef)",
        message = "secretRef is required when type is not generic-oidc")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReceiverSpec implements FluxSpec {

    @Required
    @OneOf({"generic", "generic-hmac", "generic-oidc", "github", "gitlab", "bitbucket", "harbor", "dockerhub", "quay", "gcr", "nexus", "acr", "cdevents"})
    private String type;

    @Default("10m")
    @Pattern(FluxMeta.DURATION_PATTERN)
    private String interval;

    private List<String> events;

    @Required
    private List<ReceiverResource> resources;

    private String resourceFilter;

    private LocalObjectReference secretRef;

    @ListMap(keys = "issuerURL")
    private List<OIDCProvider> oidcProviders;

    private Boolean suspend;

    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }

    public String getInterval() {
        return interval;
    }

    public void setInterval(String interval) {
        this.interval = interval;
    }

    public List<String> getEvents() {
        return events;
    }

    public void setEvents(List<String> events) {
        this.events = events;
    }

    public List<ReceiverResource> getResources() {
        return resources;
    }

    public void setResources(List<ReceiverResource> resources) {
        this.resources = resources;
    }

    public String getResourceFilter() {
        return resourceFilter;
    }

    public void setResourceFilter(String resourceFilter) {
        this.resourceFilter = resourceFilter;
    }

    public LocalObjectReference getSecretRef() {
        return secretRef;
    }

    public void setSecretRef(LocalObjectReference secretRef) {
        this.secretRef = secretRef;
    }

    public List<OIDCProvider> getOidcProviders() {
        return oidcProviders;
    }

    public void setOidcProviders(List<OIDCProvider> oidcProviders) {
        this.oidcProviders = oidcProviders;
    }

    public Boolean getSuspend() {
        return suspend;
    }

    public void setSuspend(Boolean suspend) {
        this.suspend = suspend;
    }
}
