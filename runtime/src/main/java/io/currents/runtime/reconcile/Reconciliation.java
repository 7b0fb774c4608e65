package io.currents.runtime.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One reconcile of one object, as its steps see it: the object, the status being written (with its conditions),
 * the status as the reconcile found it, whether a reconcile request is pending, progress reports that are written
 * at once, and working directories removed when the reconcile ends. The steps' result is what they return (a
 * {@link Ready}) or throw (a {@link ReconcileFailure}); nothing here is read back to decide it.
 */
public final class Reconciliation<R extends HasMetadata, S> {

    private static final Logger LOG = Logger.getLogger(Reconciliation.class);

    private final R object;
    private final S status;
    private final S before;
    private final Conditions conditions;
    private final StatusPatcher patcher;
    private final boolean requested;
    private final Clock clock;
    private final long startedNanos = System.nanoTime();
    private final List<Path> workDirs = new ArrayList<>();
    private String revision;

    Reconciliation(R object, S status, S before, Conditions conditions, StatusPatcher patcher, boolean requested, Clock clock) {
        this.object = object;
        this.status = status;
        this.before = before;
        this.conditions = conditions;
        this.patcher = patcher;
        this.requested = requested;
        this.clock = clock;
    }

    public R object() {
        return object;
    }

    /** The status this reconcile writes; the steps set its fields and conditions. */
    public S status() {
        return status;
    }

    /** The status as the reconcile found it (a copy: never changed). */
    public S before() {
        return before;
    }

    public Conditions conditions() {
        return conditions;
    }

    /** {@code Kind/namespace/name}, for logs. */
    public String key() {
        return FluxReconciler.key(object);
    }

    /** Whether the object carries a {@code reconcile.fluxcd.io/requestedAt} that no earlier reconcile handled. */
    public boolean requested() {
        return requested;
    }

    public Clock clock() {
        return clock;
    }

    /** How long this reconcile has run. */
    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /**
     * Reports progress before a long step, as Flux does: Reconciling=True (reason Progressing) with {@code message},
     * Ready=Unknown unless it is False, written to the cluster now.
     */
    public void progress(String message) {
        progress(Conditions.PROGRESSING, message);
    }

    public void progress(String reason, String message) {
        conditions.markReconciling(reason, message);
        patcher.patch(status);
    }

    /** The revision this reconcile works on, named in its events' metadata. */
    public void revision(String revision) {
        this.revision = revision;
    }

    public String revision() {
        return revision;
    }

    /** A new empty directory, removed with everything in it when the reconcile ends. */
    public Path workDir(String purpose) throws IOException {
        Path dir = Files.createTempDirectory(purpose + "-" + object.getMetadata().getNamespace() + "-"
                + object.getMetadata().getName() + "-");
        workDirs.add(dir);
        return dir;
    }

    void removeWorkDirs() {
        for (Path dir : workDirs) {
            deleteTree(dir);
        }
        workDirs.clear();
    }

    /** Removes a file or directory tree; a failure is logged, not thrown (temporary files only). */
    public static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.debugf("could not remove %s: %s", dir, e.getMessage());
        }
    }
}
