package io.currents.image;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Scanned tags survive a restart through storage-path; an unreadable store only means a rescan. */
class TagStoreTest {

    @Test
    void aRestartedStoreReadsTheTagsBack() throws Exception {
        Path dir = Files.createTempDirectory("tagstore");
        TagStore first = new TagStore();
        first.storagePath = Optional.of(dir.toString());
        first.store("ghcr.io/team/app", List.of("1.0.0", "1.1.0"));

        TagStore restarted = new TagStore();
        restarted.storagePath = Optional.of(dir.toString());
        assertThat(restarted.tags("ghcr.io/team/app")).containsExactly("1.0.0", "1.1.0");
        assertThat(restarted.tags("ghcr.io/team/other")).isEmpty();

        TagStore memoryOnly = new TagStore();
        memoryOnly.storagePath = Optional.empty();
        memoryOnly.store("x/y", List.of("a"));
        assertThat(memoryOnly.tags("x/y")).containsExactly("a");
    }
}
