package io.currents.image;

import io.currents.api.image.v1.ImageRepository;
import io.currents.api.image.v1.ImageRepositorySpec;
import io.currents.api.image.v1.ImageRepositoryStatus;
import io.currents.api.image.v1.ScanResult;
import io.currents.api.meta.FluxMeta;
import io.currents.api.regex.GoRegex;
import io.currents.image.registry.ImageName;
import io.currents.image.registry.RegistryClient;
import io.currents.image.registry.RegistryException;
import io.currents.runtime.Conditions;
import io.currents.runtime.EventRecorder;
import io.currents.runtime.FluxDuration;
import io.currents.runtime.FluxUpdateFilter;
import io.currents.runtime.ReconcileMetrics;
import io.currents.runtime.ReconcileRequest;
import io.currents.runtime.RequeuePolicy;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Reconciles an ImageRepository: parse the image name, prepare registry access, decide whether a
 * scan is due (never scanned, reconcile requested, image or exclusion list changed, no stored tags,
 * interval elapsed), list the tags, drop the excluded ones, store them for ImagePolicies, and
 * report the scan in {@code status.lastScanResult}.
 */
@ControllerConfiguration(name = "imagerepository", finalizerName = FluxMeta.FINALIZER,
        informer = @Informer(onUpdateFilter = FluxUpdateFilter.class))
public class ImageRepositoryReconciler implements Reconciler<ImageRepository>, Cleaner<ImageRepository> {

    static final String IMAGE_URL_INVALID = "ImageURLInvalid";
    static final String READ_OPERATION_FAILED = "ReadOperationFailed";
    static final List<String> DEFAULT_EXCLUSION_LIST = List.of("^.*\\.sig$");
    private static final Logger LOG = Logger.getLogger(ImageRepositoryReconciler.class);

    @Inject
    RegistryAccess access;
    @Inject
    TagStore store;
    @Inject
    EventRecorder events;
    @Inject
    ReconcileMetrics metrics;

    @ConfigProperty(name = "interval-jitter-percentage", defaultValue = "5")
    int jitterPercentage;

    private final Clock clock = Clock.systemUTC();
    private volatile RequeuePolicy requeue;

    @Override
    public UpdateControl<ImageRepository> reconcile(ImageRepository repo, Context<ImageRepository> context) {
        long started = System.nanoTime();
        ImageRepositorySpec spec = repo.getSpec();
        ImageRepositoryStatus status = repo.getStatus() == null ? new ImageRepositoryStatus() : repo.getStatus();
        if (status.getConditions() == null) {
            status.setConditions(new ArrayList<>());
        }
        ImageRepositoryStatus before = ImageKinds.copy(status, ImageRepositoryStatus.class);
        String key = ImageKinds.key(repo);
        boolean suspended = Boolean.TRUE.equals(spec.getSuspend());
        metrics.recordSuspend(repo, suspended);
        if (suspended) {
            LOG.debugf("%s is suspended", key);
            return UpdateControl.noUpdate();
        }
        Conditions conditions = Conditions.of(status.getConditions(), repo.getMetadata().getGeneration(), clock);
        Duration interval = FluxDuration.parseOr(spec.getInterval(), Duration.ofMinutes(5));
        Duration next;
        try {
            next = reconcileScan(repo, spec, status, conditions, interval);
        } catch (RuntimeException e) {
            LOG.errorf(e, "unexpected failure reconciling %s", key);
            conditions.markFailedWithRetry(Conditions.FAILED, "reconciliation failed: " + ImageKinds.describe(e));
            next = requeue().afterFailure(key, interval);
        }
        status.setObservedGeneration(repo.getMetadata().getGeneration());
        ImageKinds.notifyReadyChange(events, repo, before.getConditions(), status.getConditions(), Map.of());
        metrics.recordCondition(repo, status.getConditions(), Conditions.READY, false);
        metrics.recordDuration(repo, Duration.ofNanos(System.nanoTime() - started));
        return ImageKinds.finish(repo, before, status, next);
    }

    private Duration reconcileScan(ImageRepository repo, ImageRepositorySpec spec, ImageRepositoryStatus status,
                                   Conditions conditions, Duration interval) {
        String key = ImageKinds.key(repo);
        ImageName image;
        try {
            image = ImageName.parse(spec.getImage());
        } catch (IllegalArgumentException e) {
            conditions.markStalled(IMAGE_URL_INVALID, e.getMessage());
            return null;
        }
        List<String> exclusions = spec.getExclusionList() == null ? DEFAULT_EXCLUSION_LIST : spec.getExclusionList();
        List<GoRegex> excluded = new ArrayList<>();
        for (String p : exclusions) {
            try {
                excluded.add(GoRegex.compile(p));
            } catch (GoRegex.InvalidRegexException e) {
                conditions.markStalled(READ_OPERATION_FAILED, "failed to compile exclusionList regex '" + p + "': " + e.reason());
                return null;
            }
        }
        RegistryClient registry;
        try {
            registry = access.clientFor(repo, image);
        } catch (RegistryAccess.AccessException e) {
            if (e.stalled) {
                conditions.markStalled(e.reason, e.getMessage());
                return null;
            }
            conditions.markFailedWithRetry(e.reason, e.getMessage());
            return requeue().afterFailure(key, interval);
        }

        Instant now = clock.instant();
        String why = scanReason(repo, status, image, exclusions, now, interval);
        if (why != null) {
            conditions.markReconciling("Scanning", why);
            List<String> tags;
            try {
                tags = registry.listTags();
            } catch (RegistryException e) {
                conditions.markFailedWithRetry(READ_OPERATION_FAILED, "scan failed: " + e.getMessage());
                return requeue().afterFailure(key, interval);
            }
            List<String> kept = tags.stream().filter(t -> excluded.stream().noneMatch(p -> p.find(t))).toList();
            store.store(image.canonical(), kept);
            ScanResult result = new ScanResult();
            result.setTagCount(kept.size());
            result.setScanTime(now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
            result.setLatestTags(latestTags(kept));
            result.setRevision(revision(kept));
            status.setLastScanResult(result);
            ReconcileRequest.requestedAt(repo).ifPresent(status::setLastHandledReconcileAt);
        } else {
            ReconcileRequest.requestedAt(repo).ifPresent(status::setLastHandledReconcileAt);
        }
        status.setCanonicalImageName(image.canonical());
        status.setObservedExclusionList(List.copyOf(exclusions));
        int count = status.getLastScanResult() == null || status.getLastScanResult().getTagCount() == null
                ? 0 : status.getLastScanResult().getTagCount();
        conditions.markReady(Conditions.SUCCEEDED, "successful scan: found " + count + " tags");
        Duration untilNext = why != null ? interval : nextScanIn(status, now, interval);
        return requeue().afterSuccess(key, untilNext);
    }

    /** Why a scan is due now, or null when the last one still holds (Flux's shouldScan). */
    private String scanReason(ImageRepository repo, ImageRepositoryStatus status, ImageName image, List<String> exclusions,
                              Instant now, Duration interval) {
        ScanResult last = status.getLastScanResult();
        if (last == null || last.getScanTime() == null) {
            return "first scan";
        }
        if (ReconcileRequest.isPending(repo, status.getLastHandledReconcileAt())) {
            return "triggered by reconcile request";
        }
        if (!image.canonical().equals(status.getCanonicalImageName())) {
            return "image name changed";
        }
        List<String> observed = status.getObservedExclusionList() == null ? List.of() : status.getObservedExclusionList();
        if (!new HashSet<>(observed).equals(new HashSet<>(exclusions)) || observed.size() != exclusions.size()) {
            return "exclusion list changed";
        }
        if (store.tags(image.canonical()).isEmpty()) {
            return "no tags in the database";
        }
        if (nextScanIn(status, now, interval).compareTo(Duration.ofSeconds(1)) < 0) {
            return "scan interval elapsed";
        }
        return null;
    }

    private static Duration nextScanIn(ImageRepositoryStatus status, Instant now, Duration interval) {
        try {
            Instant last = Instant.parse(status.getLastScanResult().getScanTime());
            Duration left = interval.minus(Duration.between(last, now));
            return left.isNegative() ? Duration.ZERO : left;
        } catch (RuntimeException e) {
            return Duration.ZERO;
        }
    }

    /** Flux's {@code latestTags}: the first ten tags in reverse lexical order. */
    static List<String> latestTags(List<String> tags) {
        return tags.stream().sorted(Comparator.reverseOrder()).limit(10).toList();
    }

    /** A digest of the sorted tag set: it changes exactly when the set of tags does. */
    static String revision(List<String> tags) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(String.join("\n", tags.stream().sorted().toList()).getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public DeleteControl cleanup(ImageRepository repo, Context<ImageRepository> context) {
        requeue().forget(ImageKinds.key(repo));
        metrics.recordCondition(repo, List.of(), Conditions.READY, true);
        return DeleteControl.defaultDelete();
    }

    private RequeuePolicy requeue() {
        if (requeue == null) {
            requeue = new RequeuePolicy(jitterPercentage, Duration.ofSeconds(1), Duration.ofMinutes(5));
        }
        return requeue;
    }
}
