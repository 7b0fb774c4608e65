package io.currents.api.helm.v2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.DateTime;

/** What the controller observed of one Helm test hook. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TestHookStatus {

    @DateTime
    private String lastStarted;

    @DateTime
    private String lastCompleted;

    private String phase;

    public String getLastStarted() {
        return lastStarted;
    }

    public void setLastStarted(String lastStarted) {
        this.lastStarted = lastStarted;
    }

    public String getLastCompleted() {
        return lastCompleted;
    }

    public void setLastCompleted(String lastCompleted) {
        this.lastCompleted = lastCompleted;
    }

    public String getPhase() {
        return phase;
    }

    public void setPhase(String phase) {
        this.phase = phase;
    }
}
