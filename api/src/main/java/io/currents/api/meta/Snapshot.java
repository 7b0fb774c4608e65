package io.currents.api.meta;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

import java.util.Map;

/** One entry of a reconciliation history: a set of applied objects identified by digest, with timings and outcome. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Snapshot {

    @Required
    private String digest;

    @Required
    @DateTime
    private String firstReconciled;

    @Required
    @DateTime
    private String lastReconciled;

    @Required
    private String lastReconciledDuration;

    @Required
    private String lastReconciledStatus;

    @Required
    private Long totalReconciliations;

    private Map<String, String> metadata;

    public String getDigest() {
        return digest;
    }

    public void setDigest(String digest) {
        this.digest = digest;
    }

    public String getFirstReconciled() {
        return firstReconciled;
    }

    public void setFirstReconciled(String firstReconciled) {
        this.firstReconciled = firstReconciled;
    }

    public String getLastReconciled() {
        return lastReconciled;
    }

    public void setLastReconciled(String lastReconciled) {
        this.lastReconciled = lastReconciled;
    }

    public String getLastReconciledDuration() {
        return lastReconciledDuration;
    }

    public void setLastReconciledDuration(String lastReconciledDuration) {
        this.lastReconciledDuration = lastReconciledDuration;
    }

    public String getLastReconciledStatus() {
        return lastReconciledStatus;
    }

    public void setLastReconciledStatus(String lastReconciledStatus) {
        this.lastReconciledStatus = lastReconciledStatus;
    }

    public Long getTotalReconciliations() {
        return totalReconciliations;
    }

    public void setTotalReconciliations(Long totalReconciliations) {
        this.totalReconciliations = totalReconciliations;
    }

    public Map<String, String> getMetadata() {
        return metadata;
    }

    public void setMetadata(Map<String, String> metadata) {
        this.metadata = metadata;
    }
}
