package io.currents.image.update;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Setter markers are rewritten in place: only the marked values change, every other byte stays. */
class SetterRewriterTest {

    private static final Map<String, String> VALUES = Map.of(
            "apps:podinfo", "ghcr.io/stefanprodan/podinfo:6.5.0",
            "apps:podinfo:tag", "6.5.0",
            "apps:podinfo:name", "ghcr.io/stefanprodan/podinfo",
            "apps:podinfo:digest", "sha256:0123abcd");

    @Test
    void replacesMarkedValuesAndKeepsCommentsQuotesAndLayout() {
        String input = """
                # a deployment — with a comment that must survive
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: podinfo   # trailing comment
                  namespace: apps
                spec:
                  template:
                    spec:
                      containers:
                        - name: podinfo
                          image: ghcr.io/stefanprodan/podinfo:6.0.0 # {"$imagepolicy": "apps:podinfo"}
                        - name: sidecar
                          image: "busybox:1.36"   # not marked
                ---
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata: {name: podinfo, namespace: apps}
                spec:
                  values:
                    image:
                      repository: 'ghcr.io/old/podinfo'  # {"$imagepolicy": "apps:podinfo:name"}
                      tag: "6.0.0" # {"$imagepolicy": "apps:podinfo:tag"}
                      digest: ""   # {"$imagepolicy": "apps:podinfo:digest"}
                      other: keep  # {"$imagepolicy": "apps:unknown:tag"}
                """;
        SetterRewriter.Result result = SetterRewriter.apply(input, VALUES);
        String expected = input
                .replace("podinfo:6.0.0 #", "podinfo:6.5.0 #")
                .replace("'ghcr.io/old/podinfo'", "'ghcr.io/stefanprodan/podinfo'")
                .replace("tag: \"6.0.0\"", "tag: \"6.5.0\"")
                .replace("digest: \"\"", "digest: \"sha256:0123abcd\"");
        assertThat(result.text()).isEqualTo(expected);

        ObjectIdentifier deployment = new ObjectIdentifier("apps/v1", "Deployment", "podinfo", "apps");
        ObjectIdentifier release = new ObjectIdentifier("helm.toolkit.fluxcd.io/v2", "HelmRelease", "podinfo", "apps");
        assertThat(result.changes()).containsOnlyKeys(deployment, release);
        assertThat(result.changes().get(deployment)).containsExactly(
                new Change("apps:podinfo", "ghcr.io/stefanprodan/podinfo:6.0.0", "ghcr.io/stefanprodan/podinfo:6.5.0"));
        assertThat(result.changes().get(release)).extracting(Change::setter)
                .containsExactly("apps:podinfo:name", "apps:podinfo:tag", "apps:podinfo:digest");
    }

    @Test
    void valuesAlreadyUpToDateAreNoChange() {
        String input = "image: ghcr.io/stefanprodan/podinfo:6.5.0 # {\"$imagepolicy\": \"apps:podinfo\"}\n";
        SetterRewriter.Result result = SetterRewriter.apply(input, VALUES);
        assertThat(result.changed()).isFalse();
        assertThat(result.text()).isSameAs(input);
    }

    @Test
    void sequenceItemsAndNonAsciiTextBeforeTheValueAreHandled() {
        String input = "kind: List\nmetadata:\n  name: été\nimages:\n  - ghcr.io/x:1 # {\"$imagepolicy\": \"apps:podinfo\"}\n  - other # ünïcode\r\n";
        SetterRewriter.Result result = SetterRewriter.apply(input, VALUES);
        assertThat(result.text()).isEqualTo(input.replace("ghcr.io/x:1", "ghcr.io/stefanprodan/podinfo:6.5.0"));
        assertThat(result.changes().keySet()).extracting(ObjectIdentifier::name).containsExactly("été");
    }

    @Test
    void aMarkerInsideAStringIsNotAMarker() {
        String input = "note: 'text # {\"$imagepolicy\": \"apps:podinfo\"}'\n";
        assertThat(SetterRewriter.apply(input, VALUES).changed()).isFalse();
    }

    @Test
    void invalidYamlIsAClearError() {
        assertThatThrownBy(() -> SetterRewriter.apply("a: [1, 2\nimage: x # {\"$imagepolicy\": \"apps:podinfo\"}\n", VALUES))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid YAML");
        assertThat(List.of(SetterRewriter.hasMarkers("x: 1"))).containsExactly(false);
    }
}
