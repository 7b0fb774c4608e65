package io.currents.api.source.v1;

/** Condition types and reasons shared by all source kinds (GitRepository, OCIRepository, HelmRepository, HelmChart, Bucket). */
public final class SourceConditions {

    private SourceConditions() {
    }

    /** The artifact is stored and served; present once an artifact exists. */
    public static final String ARTIFACT_IN_STORAGE_CONDITION = "ArtifactInStorage";

    /** The stored artifact is older than the desired state; present only while True. */
    public static final String ARTIFACT_OUTDATED_CONDITION = "ArtifactOutdated";

    /** Outcome of signature or integrity verification; present only when verification is enabled. */
    public static final String SOURCE_VERIFIED_CONDITION = "SourceVerified";

    /** Fetching from upstream failed; present only while True. */
    public static final String FETCH_FAILED_CONDITION = "FetchFailed";

    /** Building the artifact failed; present only while True. */
    public static final String BUILD_FAILED_CONDITION = "BuildFailed";

    /** A storage (filesystem) operation failed; present only while True. */
    public static final String STORAGE_OPERATION_FAILED_CONDITION = "StorageOperationFailed";

    public static final String URL_INVALID_REASON = "URLInvalid";
    public static final String AUTHENTICATION_FAILED_REASON = "AuthenticationFailed";
    public static final String VERIFICATION_ERROR_REASON = "VerificationError";
    public static final String DIRECTORY_CREATION_FAILED_REASON = "DirectoryCreationFailed";
    public static final String STAT_OPERATION_FAILED_REASON = "StatOperationFailed";
    public static final String READ_OPERATION_FAILED_REASON = "ReadOperationFailed";
    public static final String ACQUIRE_LOCK_FAILED_REASON = "AcquireLockFailed";
    public static final String INVALID_PATH_REASON = "InvalidPath";
    public static final String ARCHIVE_OPERATION_FAILED_REASON = "ArchiveOperationFailed";
    public static final String SYMLINK_UPDATE_FAILED_REASON = "SymlinkUpdateFailed";
    public static final String ARTIFACT_UP_TO_DATE_REASON = "ArtifactUpToDate";
    public static final String CACHE_OPERATION_FAILED_REASON = "CacheOperationFailed";
}
