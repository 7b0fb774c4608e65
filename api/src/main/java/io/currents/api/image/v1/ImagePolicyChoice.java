package io.currents.api.image.v1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The ordering that picks the latest tag: one of semver, alphabetical or numerical. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImagePolicyChoice {

    private SemVerPolicy semver;

    private AlphabeticalPolicy alphabetical;

    private NumericalPolicy numerical;

    public SemVerPolicy getSemver() {
        return semver;
    }

    public void setSemver(SemVerPolicy semver) {
        this.semver = semver;
    }

    public AlphabeticalPolicy getAlphabetical() {
        return alphabetical;
    }

    public void setAlphabetical(AlphabeticalPolicy alphabetical) {
        this.alphabetical = alphabetical;
    }

    public NumericalPolicy getNumerical() {
        return numerical;
    }

    public void setNumerical(NumericalPolicy numerical) {
        this.numerical = numerical;
    }
}
