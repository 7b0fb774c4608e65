package io.currents.cli.ops;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** References in flux's {@code <kind>/<name>[.<namespace>]} syntax are refused, with a usage error, where the field cannot hold them. */
class CreateReferenceSyntaxTest {

    @Test
    void valuesFromAnotherNamespaceAreRefusedInsteadOfWritingAFieldTheApiDoesNotHave() {
        Cli.Run r = Cli.run("create", "hr", "h", "--chart-ref=OCIRepository/x", "--values-from=Secret/s.other", "--export");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("invalid --values-from 'Secret/s.other'; values come from the HelmRelease's own namespace");
    }

    @Test
    void aReferenceWithoutANameIsOneUsageSentence() {
        Cli.Run r = Cli.run("create", "alert", "a", "--provider-ref=p", "--event-source=Kustomization/", "--export");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("invalid --event-source 'Kustomization/'; use <kind>/<name>[.<namespace>]");
    }
}
