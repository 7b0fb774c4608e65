package io.currents.source.helm;

/**
 * Why a chart could not be built, with Flux's build error reasons; the message starts with the
 * reason's summary the way Flux words it, e.g. {@code invalid chart reference: no 'x' chart ...}.
 */
public final class ChartBuildException extends Exception {

    public static final String INVALID_CHART_REFERENCE = "InvalidChartReference";
    public static final String CHART_PULL_ERROR = "ChartPullError";
    public static final String METADATA_PATCH_ERROR = "MetadataPatchError";
    public static final String VALUES_FILES_ERROR = "ValuesFilesError";
    public static final String DEPENDENCY_BUILD_ERROR = "DependencyBuildError";
    public static final String CHART_PACKAGE_ERROR = "ChartPackageError";

    private final String reason;

    private ChartBuildException(String reason, String summary, String detail) {
        super(summary + ": " + detail);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }

    /** Whether retrying cannot help until the spec changes (Flux stalls on these). */
    public boolean persistent() {
        return reason.equals(INVALID_CHART_REFERENCE) || reason.equals(METADATA_PATCH_ERROR);
    }

    /** Whether the failure is in building (BuildFailed condition) rather than fetching (FetchFailed). */
    public boolean buildFailure() {
        return reason.equals(METADATA_PATCH_ERROR) || reason.equals(VALUES_FILES_ERROR)
                || reason.equals(DEPENDENCY_BUILD_ERROR) || reason.equals(CHART_PACKAGE_ERROR);
    }

    public static ChartBuildException reference(String detail) {
        return new ChartBuildException(INVALID_CHART_REFERENCE, "invalid chart reference", detail);
    }

    public static ChartBuildException pull(String detail) {
        return new ChartBuildException(CHART_PULL_ERROR, "chart pull error", detail);
    }

    public static ChartBuildException metadata(String detail) {
        return new ChartBuildException(METADATA_PATCH_ERROR, "chart metadata patch error", detail);
    }

    public static ChartBuildException values(String detail) {
        return new ChartBuildException(VALUES_FILES_ERROR, "values files merge error", detail);
    }

    public static ChartBuildException dependency(String detail) {
        return new ChartBuildException(DEPENDENCY_BUILD_ERROR, "dependency build error", detail);
    }

    public static ChartBuildException packaging(String detail) {
        return new ChartBuildException(CHART_PACKAGE_ERROR, "chart package error", detail);
    }
}
