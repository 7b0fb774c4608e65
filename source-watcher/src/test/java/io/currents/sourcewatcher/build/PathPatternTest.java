package io.currents.sourcewatcher.build;

import io.currents.api.source.extensions.v1beta1.OutputArtifact;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A path pattern gives one artifact per matching directory, named and labelled from its captures. */
class PathPatternTest {

    @TempDir
    Path mono;

    @Test
    void everyMatchingDirectoryRendersTheTemplates() throws Exception {
        Files.createDirectories(mono.resolve("apps/Auth/envs/prod"));
        Files.createDirectories(mono.resolve("apps/billing/envs/dev"));
        Files.createDirectories(mono.resolve("apps/billing/docs"));

        List<PathPattern.ArtifactRequest> requests = PathPattern.expand("@mono/apps/{app}/envs/{env}", List.of(template()),
                Map.of("mono", mono));

        assertThat(requests).extracting(r -> r.artifact().getName()).containsExactly("auth-prod", "billing-dev");
        assertThat(requests.getFirst().labels()).isEqualTo(Map.of("app", "auth", "env", "prod"));
        assertThat(requests.getFirst().artifact().getCopy().getFirst().getFrom())
                .as("copy paths keep the directory's case").isEqualTo("@mono/apps/Auth/envs/prod/**");
    }

    @Test
    void namesThatCollideAfterLowerCasingStopTheBuild() throws Exception {
        Files.createDirectories(mono.resolve("apps/Auth/envs/prod"));
        Files.createDirectories(mono.resolve("apps/auth/envs/prod"));
        assertThatThrownBy(() -> PathPattern.expand("@mono/apps/{app}/envs/{env}", List.of(template()), Map.of("mono", mono)))
                .isInstanceOf(BuildException.class).hasMessageContaining("both resolve to artifact name \"auth-prod\"");
    }

    @Test
    void invalidPatternsAndCapturedNamesAreRefused() throws Exception {
        Files.createDirectories(mono.resolve("apps/.hidden/envs/prod"));
        assertThatThrownBy(() -> PathPattern.expand("@mono/apps/{app}/envs/{env}", List.of(template()), Map.of("mono", mono)))
                .hasMessageContaining("captured value \".hidden\" for variable \"app\" is not a valid Kubernetes label value");
        assertThatThrownBy(() -> PathPattern.expand("@mono/apps/{app/x", List.of(template()), Map.of("mono", mono)))
                .hasMessageContaining("missing closing brace");
        assertThatThrownBy(() -> PathPattern.expand("@mono/{a}/{a}", List.of(template()), Map.of("mono", mono)))
                .hasMessageContaining("duplicate capture variable \"a\"");
        assertThatThrownBy(() -> PathPattern.expand("@other/{app}", List.of(template()), Map.of("mono", mono)))
                .hasMessageContaining("source alias other not found");
    }

    private static OutputArtifact template() {
        OutputArtifact a = new OutputArtifact();
        a.setName("{app}-{env}");
        a.setCopy(List.of(CopyOperationsTest.op("@mono/apps/{app}/envs/{env}/**", "@artifact/")));
        return a;
    }
}
