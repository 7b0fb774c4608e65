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

import java.util.List;

/** A container image repository whose tags the image-reflector scans. */
@Group("image.toolkit.fluxcd.io")
@Version("v1")
@Kind("ImageRepository")
@Plural("imagerepositories")
@Singular("imagerepository")
@ShortNames({"imgrepo", "imagerepo"})
@Categories({"all", "fluxcd", "fluxcd-images"})
@AdditionalPrinterColumn(name = "Image", jsonPath = ".spec.image", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Tags", jsonPath = ".status.lastScanResult.tagCount", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Status", jsonPath = ".status.conditions[?(@.type==\"Ready\")].message", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Last scan", jsonPath = ".status.lastScanResult.scanTime", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ImageRepository extends CustomResource<ImageRepositorySpec, ImageRepositoryStatus> implements Namespaced, FluxObject {

    public static final String IMAGE_URL_INVALID_REASON = "ImageURLInvalid";
    public static final String AUTHENTICATION_FAILED_REASON = "AuthenticationFailed";
    public static final String READ_OPERATION_FAILED_REASON = "ReadOperationFailed";

    /** Tags left out of scans when {@code spec.exclusionList} is not set: cosign signatures. */
    public static final List<String> DEFAULT_EXCLUSION_LIST = List.of("^.*\\.sig$");
}
