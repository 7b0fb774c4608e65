package io.currents.api.meta;

/** The spec fields every reconciled Flux kind has: whether it is suspended and how often it is reconciled. */
public interface FluxSpec {

    /** {@code spec.suspend}: null or false reconciles, true leaves the object alone. */
    Boolean getSuspend();

    /** {@code spec.interval} as written (a Go duration such as {@code 10m}), or null where the kind makes it optional. */
    String getInterval();
}
