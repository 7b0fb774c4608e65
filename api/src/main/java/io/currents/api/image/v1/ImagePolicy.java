package io.currents.api.image.v1;

import io.currents.api.meta.FluxObject;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A rule that picks the latest image tag of an ImageRepository. */
@Group("image.toolkit.fluxcd.io")
@Version("v1")
@Kind("ImagePolicy")
@Plural("imagepolicies")
@Singular("imagepolicy")
@ShortNames({"imgpol", "imagepol"})
@Categories({"all", "fluxcd", "fluxcd-images"})
@AdditionalPrinterColumn(name = "Image", jsonPath = ".status.latestRef.name", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Tag", jsonPath = ".status.latestRef.tag", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Status", jsonPath = ".status.conditions[?(@.type==\"Ready\")].message", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ImagePolicy extends CustomResource<ImagePolicySpec, ImagePolicyStatus> implements Namespaced, FluxObject {

    public static final String DEPENDENCY_NOT_READY_REASON = "DependencyNotReady";
    public static final String INTERVAL_NOT_CONFIGURED_REASON = "IntervalNotConfigured";

    public static final String REFLECT_ALWAYS = "Always";
    public static final String REFLECT_IF_NOT_PRESENT = "IfNotPresent";
    public static final String REFLECT_NEVER = "Never";
}
