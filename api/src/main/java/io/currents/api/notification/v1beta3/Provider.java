package io.currents.api.notification.v1beta3;

import io.currents.api.meta.FluxObject;
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

/** A notification destination (chat, webhook, Git commit status, ...) that Alerts send events to; has no status. */
@Annotations("kustomize.toolkit.fluxcd.io/substitute=disabled")
@Group("notification.toolkit.fluxcd.io")
@Version("v1beta3")
@Kind("Provider")
@Plural("providers")
@Singular("provider")
@Categories({"all", "fluxcd", "fluxcd-notifications"})
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class Provider extends CustomResource<ProviderSpec, Void> implements Namespaced, FluxObject {

    public static final String TYPE_GENERIC = "generic";
    public static final String TYPE_GENERIC_HMAC = "generic-hmac";
    public static final String TYPE_SLACK = "slack";
    public static final String TYPE_MSTEAMS = "msteams";
    public static final String TYPE_DISCORD = "discord";
    public static final String TYPE_GITHUB = "github";
    public static final String TYPE_GITLAB = "gitlab";
    public static final String TYPE_GITEA = "gitea";
    public static final String TYPE_BITBUCKET = "bitbucket";
    public static final String TYPE_BITBUCKET_SERVER = "bitbucketserver";
    public static final String TYPE_AZURE_DEVOPS = "azuredevops";
    public static final String TYPE_GITHUB_DISPATCH = "githubdispatch";
    public static final String TYPE_ALERTMANAGER = "alertmanager";

    /** Timeout of a notification delivery when {@code spec.timeout} is not set. */
    public static final String DEFAULT_TIMEOUT = "15s";
}
