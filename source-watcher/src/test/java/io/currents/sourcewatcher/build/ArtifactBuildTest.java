package io.currents.sourcewatcher.build;

import io.currents.api.meta.Artifact;
import io.currents.api.source.extensions.v1beta1.OutputArtifact;
import io.currents.runtime.artifact.ArtifactStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A built artifact is stored under its content hash with Flux's revision and origin revision. */
class ArtifactBuildTest {

    @TempDir
    Path tmp;

    @Test
    void theSameContentsGiveTheSameFileAndDigestAndAChangeANewOne() throws Exception {
        ArtifactStorage storage = new ArtifactStorage(tmp.resolve("storage"), "source-watcher.flux-system.svc", Duration.ofSeconds(60), 2,
                Clock.systemUTC());
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        CopyOperationsTest.write(repo, "deploy/app.yaml", "kind: ConfigMap");
        var sources = Map.of("repo", new ArtifactBuild.Source(repo, "main@sha1:abc", null));
        ArtifactBuild build = new ArtifactBuild(storage, 1 << 20);

        Artifact first = build.build(artifact("app", null, null), sources, "apps", Files.createDirectories(tmp.resolve("w1")));
        Artifact again = build.build(artifact("app", null, null), sources, "apps", Files.createDirectories(tmp.resolve("w2")));

        assertThat(first.getPath()).matches("externalartifact/apps/app/[0-9]+\\.tar\\.gz");
        assertThat(first.getUrl()).isEqualTo("http://source-watcher.flux-system.svc/" + first.getPath());
        assertThat(first.getRevision()).isEqualTo("latest@" + first.getDigest());
        assertThat(again.getDigest()).isEqualTo(first.getDigest());
        assertThat(again.getPath()).isEqualTo(first.getPath());
        assertThat(storage.verify(first.getPath(), first.getDigest())).isTrue();

        CopyOperationsTest.write(repo, "deploy/app.yaml", "kind: Secret");
        Artifact changed = build.build(artifact("app", null, null), sources, "apps", Files.createDirectories(tmp.resolve("w3")));
        assertThat(changed.getPath()).isNotEqualTo(first.getPath());
        assertThat(changed.getDigest()).isNotEqualTo(first.getDigest());
    }

    @Test
    void revisionAndOriginRevisionComeFromTheNamedSources() throws Exception {
        ArtifactStorage storage = new ArtifactStorage(tmp.resolve("storage"), "localhost", Duration.ofSeconds(60), 2, Clock.systemUTC());
        Path mono = Files.createDirectories(tmp.resolve("mono"));
        CopyOperationsTest.write(mono, "svc/a.yaml", "a: 1");
        var sources = Map.of("mono", new ArtifactBuild.Source(mono, "main@sha1:0123abcd", null),
                "split", new ArtifactBuild.Source(mono, "latest@sha256:ee", "main@sha1:feedbeef"));

        Artifact artifact = new ArtifactBuild(storage, 1 << 20).build(artifact("svc", "@mono", "@split"), sources, "apps", tmp);

        assertThat(artifact.getRevision()).isEqualTo("main@sha1:0123abcd");
        assertThat(artifact.getMetadata()).containsEntry("org.opencontainers.image.revision", "main@sha1:feedbeef");
    }

    private static OutputArtifact artifact(String name, String revision, String originRevision) {
        OutputArtifact a = new OutputArtifact();
        a.setName(name);
        a.setRevision(revision);
        a.setOriginRevision(originRevision);
        a.setCopy(List.of(CopyOperationsTest.op("@" + (revision == null ? "repo" : "mono") + "/**", "@artifact/")));
        return a;
    }
}
