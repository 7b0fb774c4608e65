package io.currents.source;

import io.currents.testkit.git.GitHttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.nio.file.Files;
import java.nio.file.Path;

/** Base of the GitRepository behaviour tests that need one plain Git HTTP server for the class. */
abstract class GitServerTest {

    static Path root;
    static GitHttpServer server;

    @BeforeAll
    static void startGitServer() throws Exception {
        root = Files.createTempDirectory("git-repos");
        server = GitHttpServer.start(root);
    }

    @AfterAll
    static void stopGitServer() {
        server.close();
    }

    /** A GitRepository manifest for {@code url}; {@code ref} is one line of the ref, e.g. {@code branch: main}. */
    static String gitRepository(String name, String url, String ref) {
        return """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: GitRepository
                metadata:
                  name: %s
                spec:
                  interval: 10m
                  timeout: 15s
                  url: %s
                  ref:
                    %s
                """.formatted(name, url, ref);
    }
}
