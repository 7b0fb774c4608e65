package io.currents.kustomization;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.currents.api.meta.Snapshot;
import io.currents.runtime.reconcile.FluxDuration;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code status.history} of a Kustomization, kept as Flux keeps it: one snapshot per digest of the built objects and
 * outcome, the latest first, at most five; a run with the same digest and outcome as a snapshot updates it.
 */
final class ReconciliationHistory {

    /** Flux's HistoryMaxSize. */
    static final int MAX_SNAPSHOTS = 5;

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReconciliationHistory() {
    }

    /**
     * The digest of the objects a build produced, before owner labels: {@code sha256:<hex>}. Flux hashes kustomize's
     * YAML output; ours hashes the objects' JSON, so the value differs from Flux's for the same build but changes when
     * and only when the build does.
     */
    static String digest(List<GenericKubernetesResource> objects) {
        try {
            byte[] json = JSON.writeValueAsString(objects).getBytes(StandardCharsets.UTF_8);
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot digest the built objects", e);
        }
    }

    /** The history with this run recorded; {@code metadata} holds {@code revision} and, when known, {@code originRevision}. */
    static List<Snapshot> upsert(List<Snapshot> history, String digest, Instant now, Duration took, String outcome,
                                 Map<String, String> metadata) {
        List<Snapshot> result = new ArrayList<>(history == null ? List.of() : history);
        String at = now.truncatedTo(ChronoUnit.SECONDS).toString();
        for (int i = 0; i < result.size(); i++) {
            Snapshot s = result.get(i);
            if (Objects.equals(s.getDigest(), digest) && Objects.equals(s.getLastReconciledStatus(), outcome)) {
                s.setLastReconciled(at);
                s.setLastReconciledDuration(FluxDuration.format(took));
                s.setTotalReconciliations((s.getTotalReconciliations() == null ? 0 : s.getTotalReconciliations()) + 1);
                s.setMetadata(metadata);
                result.remove(i);
                result.addFirst(s);
                return result;
            }
        }
        Snapshot s = new Snapshot();
        s.setDigest(digest);
        s.setFirstReconciled(at);
        s.setLastReconciled(at);
        s.setLastReconciledDuration(FluxDuration.format(took));
        s.setLastReconciledStatus(outcome);
        s.setTotalReconciliations(1L);
        s.setMetadata(metadata);
        result.addFirst(s);
        return result.size() > MAX_SNAPSHOTS ? new ArrayList<>(result.subList(0, MAX_SNAPSHOTS)) : result;
    }
}
