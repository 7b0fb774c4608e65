package io.currents.ui;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/** One Flux kind the cluster serves, as discovered from its CustomResourceDefinition. */
public record FluxKind(String group, String version, String kind, String plural, boolean namespaced) {

    public ResourceDefinitionContext context() {
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
                .withPlural(plural).withNamespaced(namespaced).build();
    }

    public String apiVersion() {
        return group + "/" + version;
    }

    /** The sources other objects point at through sourceRef. */
    public boolean isSource() {
        return group.startsWith("source.");
    }

    /** Kinds that take reconcile/suspend/resume requests (Providers are static objects). */
    public boolean reconcilable() {
        return !"Provider".equals(kind);
    }
}
