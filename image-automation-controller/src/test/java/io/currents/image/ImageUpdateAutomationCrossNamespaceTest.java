package io.currents.image;

import io.currents.api.image.v1.ImageUpdateAutomation;
import io.currents.testkit.git.GitHttpServer;
import io.currents.testkit.git.TestRepo;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.currents.image.ImageScenario.ready;
import static io.currents.image.ImageScenario.readyMessage;
import static io.currents.image.ImageScenario.readyReason;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code no-cross-namespace-refs=true} an ImageUpdateAutomation may not push through another namespace's
 * GitRepository (and so with its credentials): it stalls with AccessDenied before reading the source or its Secret.
 */
@QuarkusTest
@TestProfile(LockdownProfile.class)
@QuarkusTestResource(value = ImageControllerTestResource.class, restrictToAnnotatedClass = false)
class ImageUpdateAutomationCrossNamespaceTest {

    @Test
    void anotherNamespacesRepositoryIsRefusedBeforeAnythingIsPushed() throws Exception {
        Path root = Files.createTempDirectory("iua-lockdown");
        try (GitHttpServer http = GitHttpServer.start(root)) {
            var owner = new ImageScenario("iua-owner");
            var tenant = new ImageScenario("iua-tenant");
            TestRepo repo = TestRepo.create(root, "owned");
            String head = repo.commit("main", Map.of("deploy/app.yaml", "image: app:1.0.0 # {\"$imagepolicy\": \"" + tenant.namespace + ":app\"}\n"), "initial");
            owner.secret("write-token", Map.of("username", "bot", "password", "owner-write-token"));
            owner.apply(ImageUpdateAutomationTest.gitRepository("owned", http.url(repo), "write-token"));
            tenant.apply(ImageUpdateAutomationTest.automation("borrower", "owned", null)
                    .replace("    name: owned\n", "    name: owned\n    namespace: " + owner.namespace + "\n"));

            ImageUpdateAutomation refused = tenant.awaitAutomation("borrower", a -> a.getStatus() != null
                    && ready(a.getStatus().getConditions(), "False"));
            assertThat(readyReason(refused.getStatus().getConditions())).isEqualTo("AccessDenied");
            assertThat(readyMessage(refused.getStatus().getConditions())).contains(owner.namespace + "/owned")
                    .contains("cross-namespace references are disabled");
            assertThat(repo.head("main")).isEqualTo(head);
        }
    }
}
