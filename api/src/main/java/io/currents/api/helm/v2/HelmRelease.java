package io.currents.api.helm.v2;

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

/** A Helm release the helm-controller installs, upgrades, tests and remediates. */
@Annotations("kustomize.toolkit.fluxcd.io/substitute=disabled")
@Group("helm.toolkit.fluxcd.io")
@Version("v2")
@Kind("HelmRelease")
@Plural("helmreleases")
@Singular("helmrelease")
@ShortNames({"hr"})
@Categories({"all", "fluxcd", "fluxcd-appliers"})
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Status", jsonPath = ".status.conditions[?(@.type==\"Ready\")].message", type = AdditionalPrinterColumn.Type.STRING)
public class HelmRelease extends CustomResource<HelmReleaseSpec, HelmReleaseStatus> implements Namespaced, FluxObject {

    /** Outcome of the last install, upgrade or test against the current desired state. */
    public static final String RELEASED_CONDITION = "Released";
    /** Outcome of the last Helm test run. */
    public static final String TEST_SUCCESS_CONDITION = "TestSuccess";
    /** Outcome of the last rollback or uninstall after a failure. */
    public static final String REMEDIATED_CONDITION = "Remediated";

    public static final String INSTALL_SUCCEEDED_REASON = "InstallSucceeded";
    public static final String INSTALL_FAILED_REASON = "InstallFailed";
    public static final String UPGRADE_SUCCEEDED_REASON = "UpgradeSucceeded";
    public static final String UPGRADE_FAILED_REASON = "UpgradeFailed";
    public static final String TEST_SUCCEEDED_REASON = "TestSucceeded";
    public static final String TEST_FAILED_REASON = "TestFailed";
    public static final String ROLLBACK_SUCCEEDED_REASON = "RollbackSucceeded";
    public static final String ROLLBACK_FAILED_REASON = "RollbackFailed";
    public static final String UNINSTALL_SUCCEEDED_REASON = "UninstallSucceeded";
    public static final String UNINSTALL_FAILED_REASON = "UninstallFailed";
    public static final String ARTIFACT_FAILED_REASON = "ArtifactFailed";
    public static final String INIT_FAILED_REASON = "InitFailed";
    public static final String GET_LAST_RELEASE_FAILED_REASON = "GetLastReleaseFailed";
    public static final String DEPENDENCY_NOT_READY_REASON = "DependencyNotReady";
    public static final String RECONCILIATION_SUCCEEDED_REASON = "ReconciliationSucceeded";
    public static final String RECONCILIATION_FAILED_REASON = "ReconciliationFailed";

    public static final String DRIFT_DETECTION_ENABLED = "enabled";
    public static final String DRIFT_DETECTION_WARN = "warn";
    public static final String DRIFT_DETECTION_DISABLED = "disabled";

    public static final String REMEDIATION_ROLLBACK = "rollback";
    public static final String REMEDIATION_UNINSTALL = "uninstall";

    /** Number of Helm release versions kept when {@code spec.maxHistory} is not set. */
    public static final int DEFAULT_MAX_HISTORY = 5;
}
