package io.currents.cli.ops.create;

import io.currents.api.meta.LocalObjectReference;
import io.currents.cli.ops.FluxKind;
import picocli.CommandLine.Mixin;

/** What every {@code create source} command shares: the sync interval, and "<Kind> source" in progress lines. */
abstract class SourceCommand extends CreateCommand {

    @Mixin
    IntervalOption interval = new IntervalOption();

    SourceCommand(FluxKind kind, boolean waitForReady) {
        super(kind, kind.kind() + " source", waitForReady);
    }

    /**
     * The Secret spec.secretRef points at: the existing one given with --secret-ref, or else, when credentials flags
     * were given, the Secret of the source's own name that this command applies from them; null for neither.
     */
    LocalObjectReference secretRef(String existing, boolean credentialsGiven) {
        if (existing != null) {
            return new LocalObjectReference(existing);
        }
        return credentialsGiven ? new LocalObjectReference(name) : null;
    }

    /** {@code {name: value}}, or null when the flag is not given. */
    static LocalObjectReference ref(String value) {
        return value == null ? null : new LocalObjectReference(value);
    }
}
