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
import io.currents.runtime.reconcile.Conditions;
import io.currents.runtime.reconcile.FluxReconciler;
import io.currents.runtime.reconcile.FluxUpdateFilter;
import io.currents.runtime.reconcile.Ready;
import io.currents.runtime.reconcile.ReconcileFailure;
import io.currents.runtime.reconcile.Reconciliation;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import jakarta.inject.Inject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;

/**
 * Reconciles an ImageRepository: parse the image name, prepare registry access, decide whether a
 * scan is due (never scanned, reconcile requested, image or exclusion list changed, no stored tags,
 * interval elapsed), list the tags, drop the excluded ones, store them for ImagePolicies, and
 * report the scan in {@code status.lastScanResult}.
 */
@ControllerConfiguration(name = "imagerepository", finalizerName = FluxMeta.FINALIZER,
        informer = @Informer(onUpdateFilter = FluxUpdateFilter.class))
public class ImageRepositoryReconciler extends FluxReconciler<ImageRepository, ImageRepositoryStatus> implements Cleaner<ImageRepository> {

    static final String IMAGE_URL_INVALID = "ImageURLInvalid";
    static final String READ_OPERATION_FAILED = "ReadOperationFailed";
    static final List<String> DEFAULT_EXCLUSION_LIST = List.of("^.*\\.sig$");

    @Inject
    RegistryAccess access;
    @Inject
    TagStore store;

    @Override
    protected ImageRepositoryStatus newStatus() {
        return new ImageRepositoryStatus();
    }

    @Override
    protected Duration defaultInterval() {
        return Duration.ofMinutes(5);
    }

    @Override
    protected Ready steps(Reconciliation<ImageRepository, ImageRepositoryStatus> r) throws ReconcileFailure {
        ImageRepositorySpec spec = r.object().getSpec();
        ImageName image = imageName(spec);
        List<String> exclusions = spec.getExclusionList() == null ? DEFAULT_EXCLUSION_LIST : spec.getExclusionList();
        List<GoRegex> excluded = exclusionPatterns(exclusions);
        RegistryClient registry = access.clientFor(r.object(), image);

        ImageRepositoryStatus status = r.status();
        Duration interval = interval(r.object());
        Instant now = clock().instant();
        String why = scanReason(r, image, exclusions, now, interval);
        if (why != null) {
            scan(r, registry, image, excluded, now, why);
        }
        status.setCanonicalImageName(image.canonical());
        status.setObservedExclusionList(List.copyOf(exclusions));
        int count = status.getLastScanResult() == null || status.getLastScanResult().getTagCount() == null
                ? 0 : status.getLastScanResult().getTagCount();
        return Ready.of(Conditions.SUCCEEDED, "successful scan: found " + count + " tags")
                .requeueAfter(why != null ? interval : nextScanIn(status, now, interval));
    }

    private static ImageName imageName(ImageRepositorySpec spec) throws ReconcileFailure {
        try {
            return ImageName.parse(spec.getImage());
        } catch (IllegalArgumentException e) {
            throw ReconcileFailure.stalled(IMAGE_URL_INVALID, e.getMessage());
        }
    }

    private static List<GoRegex> exclusionPatterns(List<String> exclusions) throws ReconcileFailure {
        List<GoRegex> excluded = new ArrayList<>();
        for (String p : exclusions) {
            try {
                excluded.add(GoRegex.compile(p));
            } catch (GoRegex.InvalidRegexException e) {
                throw ReconcileFailure.stalled(READ_OPERATION_FAILED, "failed to compile exclusionList regex '" + p + "': " + e.reason());
            }
        }
        return excluded;
    }

    /** Lists the tags, drops the excluded ones, stores them for ImagePolicies and records the scan. */
    private void scan(Reconciliation<ImageRepository, ImageRepositoryStatus> r, RegistryClient registry, ImageName image,
                      List<GoRegex> excluded, Instant now, String why) throws ReconcileFailure {
        r.progress("scanning: " + why);
        List<String> tags;
        try {
            tags = registry.listTags();
        } catch (RegistryException e) {
            throw ReconcileFailure.retry(READ_OPERATION_FAILED, "scan failed: " + e.getMessage());
        }
        List<String> kept = tags.stream().filter(t -> excluded.stream().noneMatch(p -> p.find(t))).toList();
        store.store(image.canonical(), kept);
        ScanResult result = new ScanResult();
        result.setTagCount(kept.size());
        result.setScanTime(now.truncatedTo(ChronoUnit.SECONDS).toString());
        result.setLatestTags(latestTags(kept));
        result.setRevision(revision(kept));
        r.status().setLastScanResult(result);
    }

    /** Why a scan is due now, or null when the last one still holds (Flux's shouldScan). */
    private String scanReason(Reconciliation<ImageRepository, ImageRepositoryStatus> r, ImageName image, List<String> exclusions,
                              Instant now, Duration interval) {
        ImageRepositoryStatus status = r.status();
        ScanResult last = status.getLastScanResult();
        if (last == null || last.getScanTime() == null) {
            return "first scan";
        }
        if (r.requested()) {
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
        forget(repo);
        return DeleteControl.defaultDelete();
    }
}
