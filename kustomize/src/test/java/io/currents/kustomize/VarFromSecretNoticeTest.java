package io.currents.kustomize;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A var bound to a Secret's map keeps the Secret's data out of the notice kustomize would print with it. */
class VarFromSecretNoticeTest {

    @Test
    void theBadReplacementNoticeNamesTheTypeButNotTheSecretData(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("kustomization.yaml"), """
                resources:
                - r.yaml
                vars:
                - name: CREDS
                  objref: {apiVersion: v1, kind: Secret, name: s}
                  fieldref: {fieldpath: data}
                """);
        Files.writeString(dir.resolve("r.yaml"), """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: s
                data:
                  password: c2VjcmV0LXZhbHVl
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: p
                spec:
                  containers:
                  - name: c
                    image: app
                    command: ["$(CREDS)"]
                """);
        ResourceList out = Kustomizer.builder().build().build(dir);
        assertThat(out.toYaml()).contains("- $(CREDS)");
        assertThat(out.warnings()).extracting(BuildWarning::message).containsExactly(
                "# Warning: 'vars' is deprecated. Please use 'replacements' instead. [EXPERIMENTAL] "
                        + "Run 'kustomize edit fix' to update your Kustomization automatically.",
                "MakePrimitiveReplacer: bad replacement type=map[string]interface {} val=<redacted>",
                "well-defined vars that were never replaced: CREDS");
        assertThat(out.warnings()).extracting(BuildWarning::logged).containsExactly(false, true, true);
        assertThat(out.warnings().toString()).doesNotContain("c2VjcmV0LXZhbHVl");
    }
}
