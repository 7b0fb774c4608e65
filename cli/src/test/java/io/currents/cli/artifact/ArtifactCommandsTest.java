package io.currents.cli.artifact;

import io.currents.cli.Currents;
import io.currents.oci.FluxArtifacts;
import io.currents.oci.OciClient;
import io.currents.oci.OciManifest;
import io.currents.oci.OciReference;
import io.currents.testkit.registry.OciRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** push/pull/tag/list/build/diff artifact against a real registry, in Flux's artifact format. */
class ArtifactCommandsTest {

    static OciRegistry registry;

    record Run(int code, String out, String err) {
    }

    @BeforeAll
    static void start() {
        registry = OciRegistry.start("bot", "s3cret");
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Currents.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private String url(String repo) {
        return "oci://" + registry.host() + "/" + repo;
    }

    private static Path tree(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("apps/.git"));
        Files.writeString(dir.resolve("apps/deploy.yaml"), "kind: ConfigMap\n");
        Files.writeString(dir.resolve("apps/.git/config"), "secret-ish\n");
        Files.writeString(dir.resolve("apps/notes.md"), "left out\n");
        return dir;
    }

    @Test
    void aPushedArtifactListsPullsAndTagsInFluxsFormat(@TempDir Path tmp) throws Exception {
        Path source = tree(tmp.resolve("src"));
        Run push = run("push", "artifact", url("team/app") + ":v1.0.0", "--path=" + source, "--source=https://github.com/example/app",
                "--revision=main@sha1:abc", "--annotations=team=blue", "--ignore-paths=*.md", "--creds=bot:s3cret", "--insecure-registry");
        assertThat(push.code()).as(push.err()).isZero();
        assertThat(push.err()).contains("artifact successfully pushed to " + url("team/app") + ":v1.0.0@sha256:");

        OciClient client = OciClient.builder().plainHttp(true).credentials(new io.currents.oci.RegistryCredentials("bot", "s3cret")).build();
        OciManifest manifest = client.manifest(OciReference.parseWithReference(url("team/app") + ":v1.0.0"));
        assertThat(manifest.config().mediaType()).isEqualTo(FluxArtifacts.CONFIG_MEDIA_TYPE);
        assertThat(manifest.layers().get(0).mediaType()).isEqualTo(FluxArtifacts.CONTENT_MEDIA_TYPE);
        assertThat(manifest.annotations()).containsEntry(FluxArtifacts.SOURCE_ANNOTATION, "https://github.com/example/app")
                .containsEntry(FluxArtifacts.REVISION_ANNOTATION, "main@sha1:abc").containsEntry("team", "blue")
                .containsKey(FluxArtifacts.CREATED_ANNOTATION);

        Run tag = run("tag", "artifact", url("team/app") + ":v1.0.0", "--tag=latest", "--creds=bot:s3cret", "--insecure-registry");
        assertThat(tag.code()).as(tag.err()).isZero();
        Run list = run("list", "artifacts", url("team/app"), "--creds=bot:s3cret", "--insecure-registry");
        assertThat(list.code()).as(list.err()).isZero();
        assertThat(list.out()).contains("ARTIFACT").contains(url("team/app") + ":v1.0.0").contains(url("team/app") + ":latest")
                .contains(manifest.digest()).contains("main@sha1:abc");
        Run semver = run("list", "artifacts", url("team/app"), "--semver=>=1.0.0", "--creds=bot:s3cret", "--insecure-registry");
        assertThat(semver.out()).contains(":v1.0.0").doesNotContain(":latest");

        Path pulled = tmp.resolve("pulled");
        Run pull = run("pull", "artifact", url("team/app") + ":latest", "--output=" + pulled, "--creds=bot:s3cret", "--insecure-registry");
        assertThat(pull.code()).as(pull.err()).isZero();
        assertThat(pulled.resolve("apps/deploy.yaml")).hasContent("kind: ConfigMap");
        assertThat(pulled.resolve("apps/notes.md")).doesNotExist();
        assertThat(pulled.resolve("apps/.git")).doesNotExist();
    }

    @Test
    void diffSaysWhetherLocalContentDiffersAndBuildIsReproducible(@TempDir Path tmp) throws Exception {
        Path source = tree(tmp.resolve("src"));
        assertThat(run("push", "artifact", url("team/diff") + ":v1", "--path=" + source, "--source=s", "--revision=r",
                "--creds=bot:s3cret", "--insecure-registry").code()).isZero();
        assertThat(run("diff", "artifact", url("team/diff") + ":v1", "--path=" + source, "--creds=bot:s3cret", "--insecure-registry").code())
                .isZero();
        Files.writeString(source.resolve("apps/deploy.yaml"), "kind: Secret\n");
        Run changed = run("diff", "artifact", url("team/diff") + ":v1", "--path=" + source, "--creds=bot:s3cret", "--insecure-registry");
        assertThat(changed.code()).isEqualTo(1);
        assertThat(changed.err()).contains("differs");

        assertThat(run("build", "artifact", "--path=" + source, "--output=" + tmp.resolve("a.tgz")).code()).isZero();
        Thread.sleep(1100);
        assertThat(run("build", "artifact", "--path=" + source, "--output=" + tmp.resolve("b.tgz")).code()).isZero();
        assertThat(Files.readAllBytes(tmp.resolve("a.tgz"))).isEqualTo(Files.readAllBytes(tmp.resolve("b.tgz")));
    }

    @Test
    void wrongCredentialsFailWithoutPrintingThePassword(@TempDir Path tmp) throws Exception {
        Path source = tree(tmp.resolve("src"));
        Run push = run("push", "artifact", url("team/denied") + ":v1", "--path=" + source, "--source=s", "--revision=r",
                "--creds=bot:not-the-password", "--insecure-registry");
        assertThat(push.code()).isEqualTo(1);
        assertThat(push.err()).contains("pushing artifact failed").contains("authentication").doesNotContain("not-the-password");
        Run pull = run("pull", "artifact", url("team/none") + ":v1", "--output=" + tmp.resolve("x"), "--creds=bot:s3cret", "--insecure-registry");
        assertThat(pull.code()).isEqualTo(1);
        assertThat(pull.err()).contains("not found");
    }
}
