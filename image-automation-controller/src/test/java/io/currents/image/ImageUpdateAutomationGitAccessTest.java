package io.currents.image;

import io.currents.api.image.v1.ImageUpdateAutomation;
import io.currents.testkit.git.GitHttpServer;
import io.currents.testkit.git.GpgKey;
import io.currents.testkit.git.HttpProxyServer;
import io.currents.testkit.git.TestRepo;
import io.currents.testkit.registry.OciRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.currents.image.ImageScenario.imagePolicy;
import static io.currents.image.ImageScenario.imageRepository;
import static io.currents.image.ImageScenario.ready;
import static io.currents.image.ImageScenario.readyMessage;
import static io.currents.image.ImageScenario.readyReason;
import static io.currents.image.ImageUpdateAutomationTest.deployment;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The automation reaches its GitRepository the way source-controller does (its proxySecretRef
 * included) and signs its commits with {@code spec.git.commit.signingKey}, as {@code git verify-commit} accepts.
 */
@QuarkusTest
@QuarkusTestResource(value = ImageControllerTestResource.class, restrictToAnnotatedClass = false)
class ImageUpdateAutomationGitAccessTest {

    static OciRegistry registry;
    static Path gitRoot;
    static GitHttpServer http;
    static GpgKey key;

    @BeforeAll
    static void start() throws IOException {
        registry = OciRegistry.start();
        gitRoot = Files.createTempDirectory("iua-access");
        http = GitHttpServer.start(gitRoot);
        key = GpgKey.generate("Image Bot <bot@example.com>", "ed25519", "bot-pass");
    }

    @AfterAll
    static void stop() {
        http.close();
        registry.close();
        key.close();
    }

    private static String automation(String signingKey) {
        return """
                apiVersion: image.toolkit.fluxcd.io/v1
                kind: ImageUpdateAutomation
                metadata:
                  name: auto
                  namespace: NS
                spec:
                  interval: 10m
                  sourceRef:
                    kind: GitRepository
                    name: repo
                  git:
                    commit:
                      author:
                        name: Image Bot
                        email: bot@example.com
                %s
                  update:
                    path: ./deploy
                """.formatted(signingKey == null ? "" : "      signingKey:\n        secretRef:\n          name: " + signingKey);
    }

    private static String gitRepository(String url, String proxySecret) {
        return """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: GitRepository
                metadata:
                  name: repo
                  namespace: NS
                spec:
                  url: %s
                  interval: 10m
                  ref:
                    branch: main
                %s""".formatted(url, proxySecret == null ? "" : "  proxySecretRef:\n    name: " + proxySecret + "\n");
    }

    private TestRepo setUp(ImageScenario s, String path) {
        String image = registry.image(path + "/app");
        registry.push(path + "/app", "1.0.0", "1.1.0");
        TestRepo repo = TestRepo.create(gitRoot, path + "-" + s.namespace);
        repo.commit("main", Map.of("deploy/app.yaml", deployment(image, "1.0.0", s.namespace)), "initial");
        s.apply(imageRepository("app", image, null));
        s.apply(imagePolicy("app", "app", "policy:\n  semver:\n    range: '1.x'"));
        return repo;
    }

    @Test
    void commitsAreSignedWithTheSigningKeyAndGitVerifiesThem() {
        var s = new ImageScenario("iua-signed");
        TestRepo repo = setUp(s, "signed");
        s.secret("signing-key", Map.of("git.asc", key.armoredSecretKey(), "passphrase", "bot-pass"));
        s.apply(gitRepository(http.url(repo), null));
        s.apply(automation("signing-key"));

        ImageUpdateAutomation auto = s.awaitAutomation("auto", a -> a.getStatus() != null && a.getStatus().getLastPushCommit() != null);

        assertThat(key.verifyCommit(repo.path(), auto.getStatus().getLastPushCommit())).contains("GOODSIG");
    }

    @Test
    void aSigningKeyThatCannotBeUsedFailsWithoutPushing() {
        var s = new ImageScenario("iua-badkey");
        TestRepo repo = setUp(s, "badkey");
        String before = repo.head("main");
        s.secret("signing-key", Map.of("git.asc", key.armoredSecretKey()));
        s.apply(gitRepository(http.url(repo), null));
        s.apply(automation("signing-key"));

        ImageUpdateAutomation auto = s.awaitAutomation("auto", a -> a.getStatus() != null && ready(a.getStatus().getConditions(), "False"));

        assertThat(readyReason(auto.getStatus().getConditions())).isEqualTo("SourceManagerFailed");
        assertThat(readyMessage(auto.getStatus().getConditions())).contains("without 'passphrase' field present in secret");
        assertThat(repo.head("main")).isEqualTo(before);
    }

    @Test
    void theCloneAndPushGoThroughTheGitRepositorysProxy() {
        var s = new ImageScenario("iua-proxy");
        TestRepo repo = setUp(s, "proxied");
        try (HttpProxyServer proxy = HttpProxyServer.start("proxy-user", "proxy-pass")) {
            s.secret("proxy", Map.of("address", proxy.address(), "username", "proxy-user", "password", "proxy-pass"));
            s.apply(gitRepository(http.url(repo), "proxy"));
            s.apply(automation(null));

            ImageUpdateAutomation auto = s.awaitAutomation("auto", a -> a.getStatus() != null && a.getStatus().getLastPushCommit() != null);

            assertThat(repo.head("main")).isEqualTo(auto.getStatus().getLastPushCommit());
            assertThat(proxy.requests()).anyMatch(r -> r.contains("git-receive-pack"));
        }
    }
}
