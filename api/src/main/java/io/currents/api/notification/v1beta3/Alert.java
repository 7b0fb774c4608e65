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

/** A rule that forwards events of selected Flux objects to a Provider; has no status. */
@Annotations("kustomize.toolkit.fluxcd.io/substitute=disabled")
@Group("notification.toolkit.fluxcd.io")
@Version("v1beta3")
@Kind("Alert")
@Plural("alerts")
@Singular("alert")
@Categories({"all", "fluxcd", "fluxcd-notifications"})
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class Alert extends CustomResource<AlertSpec, Void> implements Namespaced, FluxObject {

    public static final String SEVERITY_INFO = "info";
    public static final String SEVERITY_ERROR = "error";
}
