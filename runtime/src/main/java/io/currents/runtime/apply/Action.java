package io.currents.runtime.apply;

/** What the apply engine did to one object, in Flux's words. */
public enum Action {
    CREATED("created"),
    CONFIGURED("configured"),
    UNCHANGED("unchanged"),
    DELETED("deleted"),
    SKIPPED("skipped");

    private final String word;

    Action(String word) {
        this.word = word;
    }

    @Override
    public String toString() {
        return word;
    }
}
