package io.currents.source.bucket;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Bucket revision is Flux's digest of the index, and object keys that escape the tree are refused. */
class BucketIndexTest {

    @Test
    void theRevisionIsTheSha256OfKeyEtagLinesInKeyOrder() {
        BucketIndex index = new BucketIndex();
        index.add("b/c.yaml", "92eb5ffee6ae2fec3ad71c777531578f");
        index.add("a.yaml", "0cc175b9c0f1b6a831c399e269772661");
        // printf 'a.yaml 0cc1...\nb/c.yaml 92eb...\n' | sha256sum
        assertThat(index.revision()).isEqualTo("sha256:4012d75df16c72d0555d2ac3d22c48dc034b4f9aaf7d989771fb0f10e5005f60");
    }

    @Test
    void anIndexSurvivesASaveAndLoad() throws Exception {
        BucketIndex index = new BucketIndex();
        index.add("with space/and\nnewline.yaml", "etag-1");
        Path file = Files.createTempDirectory("index").resolve("i.json");
        index.save(file);
        assertThat(BucketIndex.load(file).entries()).isEqualTo(index.entries());
        assertThat(BucketIndex.load(file.resolveSibling("missing.json")).size()).isZero();
    }

    @Test
    void keysThatAreAbsoluteOrClimbOutAreRefused() throws Exception {
        BucketFetcher.safeKey("apps/deploy.yaml");
        for (String bad : new String[] {"/etc/passwd", "../x", "a/../../x", "a/./b", "a//b", "a\\b"}) {
            assertThatThrownBy(() -> BucketFetcher.safeKey(bad)).isInstanceOf(BucketException.class).hasMessageContaining(bad);
        }
    }
}
