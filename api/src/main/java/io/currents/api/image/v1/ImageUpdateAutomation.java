package io.currents.api.image.v1;

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

/** An automation that writes the latest image references from ImagePolicies into a Git repository and pushes the commit. */
@Group("image.toolkit.fluxcd.io")
@Version("v1")
@Kind("ImageUpdateAutomation")
@Plural("imageupdateautomations")
@Singular("imageupdateautomation")
@ShortNames({"iua", "imgupd", "imgauto"})
@Categories({"all", "fluxcd", "fluxcd-images"})
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Status", jsonPath = ".status.conditions[?(@.type==\"Ready\")].message", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Last run", jsonPath = ".status.lastAutomationRunTime", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@Annotations("kustomize.toolkit.fluxcd.io/substitute=disabled")
public class ImageUpdateAutomation extends CustomResource<ImageUpdateAutomationSpec, ImageUpdateAutomationStatus> implements Namespaced, FluxObject {

    public static final String INVALID_UPDATE_STRATEGY_REASON = "InvalidUpdateStrategy";
    public static final String INVALID_SOURCE_CONFIG_REASON = "InvalidSourceConfiguration";
    public static final String SOURCE_MANAGER_FAILED_REASON = "SourceManagerFailed";
    public static final String GIT_OPERATION_FAILED_REASON = "GitOperationFailed";
    public static final String UPDATE_FAILED_REASON = "UpdateFailed";
    public static final String INVALID_POLICY_SELECTOR_REASON = "InvalidPolicySelector";
    public static final String REMOVED_TEMPLATE_FIELD_REASON = "RemovedTemplateField";

    public static final String UPDATE_STRATEGY_SETTERS = "Setters";
}
