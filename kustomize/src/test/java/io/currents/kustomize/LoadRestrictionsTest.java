package io.currents.kustomize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a build may read from: the kustomization root, a secure root, size limits, no remote files. */
class LoadRestrictionsTest {

    private static final String CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n";

    @Test
    void rootOnlyRefusesFilesAboveTheKustomization(@TempDir Path repo) throws Exception {
        Files.createDirectories(repo.resolve("app"));
        Files.writeString(repo.resolve("cm.yaml"), CM);
        Files.writeString(repo.resolve("app/kustomization.yaml"), "resources:\n- ../cm.yaml\n");
        assertThatThrownBy(() -> Kustomizer.create().build(repo.resolve("app")))
                .isInstanceOf(KustomizeException.class)
                .hasMessageContaining("security; file '" + repo.toRealPath().resolve("cm.yaml") + "' is not in or below");
    }

    @Test
    void noRestrictionsInsideASecureRootAllowsThemLikeFlux(@TempDir Path repo) throws Exception {
        Files.createDirectories(repo.resolve("app"));
        Files.writeString(repo.resolve("cm.yaml"), CM);
        Files.writeString(repo.resolve("app/kustomization.yaml"), "resources:\n- ../cm.yaml\n");
        ResourceList out = Kustomizer.builder().loadRestrictions(Kustomizer.LoadRestrictions.NONE)
                .secureRoot(repo).build().build(repo.resolve("app"));
        assertThat(out.toYaml()).contains("name: c");
    }

    @Test
    void aSecureRootRefusesSymlinksThatLeaveIt(@TempDir Path tmp) throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        Files.writeString(tmp.resolve("outside.yaml"), CM);
        Files.createSymbolicLink(repo.resolve("link.yaml"), tmp.resolve("outside.yaml"));
        Files.writeString(repo.resolve("kustomization.yaml"), "resources:\n- link.yaml\n");
        assertThatThrownBy(() -> Kustomizer.builder().loadRestrictions(Kustomizer.LoadRestrictions.NONE)
                .secureRoot(repo).build().build(repo))
                .isInstanceOf(KustomizeException.class).hasMessageContaining("outside of");
    }

    @Test
    void filesOverTheSizeLimitFailCleanly(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("cm.yaml"), CM + "data:\n  big: \"" + "x".repeat(4096) + "\"\n");
        Files.writeString(dir.resolve("kustomization.yaml"), "resources:\n- cm.yaml\n");
        assertThatThrownBy(() -> Kustomizer.builder().maxFileBytes(1024).build().build(dir))
                .isInstanceOf(KustomizeException.class).hasMessageContaining("cm.yaml").hasMessageContaining("limit");
    }

    @Test
    void remoteResourcesAreRefused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("kustomization.yaml"),
                "resources:\n- https://example.com/manifests.yaml\n- github.com/org/repo//deploy?ref=v1\n");
        assertThatThrownBy(() -> Kustomizer.create().build(dir))
                .isInstanceOf(KustomizeException.class).hasMessageContaining("remote resources are disabled");
    }
}
