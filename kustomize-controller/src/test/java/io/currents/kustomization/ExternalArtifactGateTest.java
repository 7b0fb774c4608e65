package io.currents.kustomization;

import io.currents.api.kustomize.v1.CrossNamespaceSourceReference;
import io.currents.api.kustomize.v1.Kustomization;
import io.currents.api.kustomize.v1.KustomizationSpec;
import io.currents.runtime.reconcile.ReconcileFailure;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Without the ExternalArtifact feature gate an ExternalArtifact sourceRef is refused in Flux's words, before anything is read. */
class ExternalArtifactGateTest {

    @Test
    void withTheGateOffAnExternalArtifactSourceIsStalledAsAccessDenied() {
        Kustomization k = new Kustomization();
        k.setMetadata(new ObjectMetaBuilder().withName("app").withNamespace("apps").build());
        KustomizationSpec spec = new KustomizationSpec();
        CrossNamespaceSourceReference ref = new CrossNamespaceSourceReference();
        ref.setKind("ExternalArtifact");
        ref.setName("generated");
        spec.setSourceRef(ref);
        k.setSpec(spec);

        // no client: the refusal must come before any lookup
        ReconcileFailure refused = catchThrowableOfType(ReconcileFailure.class,
                () -> new SourceArtifacts(null, false, false, null).resolve(k));

        assertThat(refused.isStalled()).isTrue();
        assertThat(refused.reason()).isEqualTo("AccessDenied");
        assertThat(refused.getMessage()).isEqualTo("can't access 'ExternalArtifact/apps/generated', ExternalArtifact feature gate is disabled");
        assertThat(SourceArtifacts.kinds(false)).doesNotContainKey("ExternalArtifact");
        assertThat(SourceArtifacts.kinds(true)).containsKey("ExternalArtifact");
    }
}
