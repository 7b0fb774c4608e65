package io.currents.sourcewatcher.build;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The artifact file name follows its contents only. */
class ContentHashTest {

    @Test
    void sameContentsSameNameAndAnyChangeANewOne(@TempDir Path tmp) throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a"));
        CopyOperationsTest.write(a, "deploy/app.yaml", "replicas: 1");
        Path b = Files.createDirectories(tmp.resolve("b"));
        CopyOperationsTest.write(b, "deploy/app.yaml", "replicas: 1");

        String first = ContentHash.of(a, "app");
        assertThat(first).matches("[0-9]+").isEqualTo(ContentHash.of(b, "app"));
        CopyOperationsTest.write(b, "deploy/app.yaml", "replicas: 2");
        assertThat(ContentHash.of(b, "app")).isNotEqualTo(first);
        assertThat(ContentHash.of(a, "other-name")).as("the artifact name is part of the hash").isNotEqualTo(first);
    }

    @Test
    void theHashIsAdler32OfTheFileListAsFluxComputesIt(@TempDir Path tmp) throws Exception {
        CopyOperationsTest.write(tmp, "a.txt", "hello");
        // adler32("hello") = 062c0215 → "62c0215  x/a.txt\n"
        java.util.zip.Adler32 expected = new java.util.zip.Adler32();
        expected.update("62c0215  x/a.txt\n".getBytes());
        assertThat(ContentHash.of(tmp, "x")).isEqualTo(Long.toString(expected.getValue()));
    }
}
