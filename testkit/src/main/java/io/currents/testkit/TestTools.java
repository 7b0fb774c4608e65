package io.currents.testkit;

import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The external programs tests run (installed by {@code hack/install-test-deps.sh}), and the rule for a missing one:
 * on a developer's machine the test is skipped, on CI it fails, so that a skip is a decision and not an accident.
 * CI is {@code CI=true} (set by {@code .ci/run} and most CI services) or {@code CURRENTS_REQUIRE_TEST_TOOLS=true}
 * (set by {@code hack/test.sh}, which installs every tool first).
 */
public final class TestTools {

    /** A program some test needs, with where {@code install-test-deps.sh} puts it. */
    public enum Tool {
        KUBECTL("kubectl"),
        AGE("age", cache().resolve("age/usr/bin/age").toString()),
        GIT("git"),
        GIT_HTTP_BACKEND("git-http-backend", "/usr/lib/git-core/git-http-backend"),
        SSHD("sshd", "/usr/sbin/sshd"),
        DOCKER_REGISTRY("docker-registry", "/usr/bin/docker-registry"),
        ZSH("zsh", "/usr/bin/zsh"),
        FISH("fish", "/usr/bin/fish"),
        /** Debian's {@code chromium}, driven headless by the UI's browser tests. */
        CHROMIUM("chromium", "/usr/bin/chromium"),
        /** Debian's {@code chromium-driver}: the WebDriver server Selenium talks to (no Selenium Manager download). */
        CHROMEDRIVER("chromedriver", "/usr/bin/chromedriver");

        private final String program;
        private final List<String> knownPlaces;

        Tool(String program, String... knownPlaces) {
            this.program = program;
            this.knownPlaces = List.of(knownPlaces);
        }

        public String program() {
            return program;
        }
    }

    private TestTools() {
    }

    /** {@code ~/.cache/currents}, or {@code $CURRENTS_CACHE} as the install script honours it. */
    public static Path cache() {
        String override = System.getenv("CURRENTS_CACHE");
        return override != null && !override.isBlank() ? Path.of(override) : Path.of(System.getProperty("user.home"), ".cache", "currents");
    }

    /** Where the tool is: its known install places first, then {@code PATH}. */
    public static Optional<Path> find(Tool tool) {
        List<Path> candidates = new ArrayList<>();
        tool.knownPlaces.forEach(p -> candidates.add(Path.of(p)));
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir, tool.program));
            }
        }
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    /** True where a missing tool must fail the test rather than skip it. */
    public static boolean toolsRequired() {
        return "true".equalsIgnoreCase(System.getenv("CI")) || "true".equalsIgnoreCase(System.getenv("CURRENTS_REQUIRE_TEST_TOOLS"))
                || Boolean.getBoolean("currents.require-test-tools");
    }

    /** The tool's path; a missing tool skips the calling test, or fails it where {@link #toolsRequired()}. */
    public static Path require(Tool tool) {
        return require(tool, find(tool), toolsRequired());
    }

    static Path require(Tool tool, Optional<Path> found, boolean required) {
        if (found.isPresent()) {
            return found.get();
        }
        String message = tool.program + " is not installed (hack/install-test-deps.sh installs it)";
        if (required) {
            throw new AssertionFailedError(message + ": on CI a missing test tool fails the run instead of skipping tests");
        }
        throw new TestAbortedException(message);
    }
}
