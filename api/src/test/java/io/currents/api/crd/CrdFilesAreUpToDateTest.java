package io.currents.api.crd;

import io.currents.testkit.ControlPlane;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The CRDs in manifests/crds are exactly what the API types generate. */
class CrdFilesAreUpToDateTest {

    private static final Path DIR = ControlPlane.projectRoot().resolve("manifests").resolve("crds");

    @Test
    void checkedInCrdsMatchTheApiTypes() throws IOException {
        Map<String, String> generated = CrdFiles.generate();
        if (Boolean.getBoolean("currents.crds.write")) {
            CrdFiles.write(DIR);
        }
        TreeSet<String> checkedIn = new TreeSet<>();
        try (Stream<Path> files = Files.list(DIR)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).forEach(checkedIn::add);
        }
        String hint = "manifests/crds is out of date with the API types; regenerate with: " + CrdFiles.REGENERATE_COMMAND;
        assertThat(checkedIn).as(hint).isEqualTo(new TreeSet<>(generated.keySet()));
        for (var e : generated.entrySet()) {
            assertThat(Files.readString(DIR.resolve(e.getKey()))).as(hint + " (" + e.getKey() + ")").isEqualTo(e.getValue());
        }
    }

    @Test
    void everyKindHasOneCrdFile() {
        assertThat(CrdFiles.generate()).hasSize(CrdFiles.KINDS.size())
                .containsKeys("gitrepositories.source.toolkit.fluxcd.io.yaml", "helmreleases.helm.toolkit.fluxcd.io.yaml",
                        "imageupdateautomations.image.toolkit.fluxcd.io.yaml", "alerts.notification.toolkit.fluxcd.io.yaml");
    }
}
