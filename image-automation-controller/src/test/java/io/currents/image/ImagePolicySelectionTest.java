package io.currents.image;

import io.currents.api.image.v1.ImagePolicy;
import io.currents.api.image.v1.ImageRepository;
import io.currents.testkit.registry.OciRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.currents.image.ImageScenario.imagePolicy;
import static io.currents.image.ImageScenario.imageRepository;
import static io.currents.image.ImageScenario.ready;
import static io.currents.image.ImageScenario.readyMessage;
import static io.currents.image.ImageScenario.readyReason;
import static org.assertj.core.api.Assertions.assertThat;

/** ImagePolicies pick the latest tag of a scanned repository by semver, alphabetical, numerical and filterTags, and follow new tags. */
@QuarkusTest
@QuarkusTestResource(value = ImageControllerTestResource.class, restrictToAnnotatedClass = false)
class ImagePolicySelectionTest {

    static OciRegistry registry;

    @BeforeAll
    static void startRegistry() {
        registry = OciRegistry.start();
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    private static ImagePolicy awaitLatest(ImageScenario s, String policy, String tag) {
        return s.awaitPolicy(policy, p -> p.getStatus() != null && p.getStatus().getLatestRef() != null
                && tag.equals(p.getStatus().getLatestRef().getTag()) && ready(p.getStatus().getConditions(), "True"));
    }

    @Test
    void eachPolicyPicksItsLatestTag() {
        registry.push("pick/app", "1.0.0", "1.9.0", "1.10.0", "2.0.0-rc.1", "v0.9.0", "main-abc-100", "main-def-99", "20240101", "20231231");
        var s = new ImageScenario("imgpol");
        s.apply(imageRepository("app", registry.image("pick/app"), null));
        // "20240101" reads as version 20240101.0.0 (as in Flux), so the range has an upper bound
        s.apply(imagePolicy("semver", "app", "policy:\n  semver:\n    range: '>=1.0.0 <3.0.0'"));
        s.apply(imagePolicy("prerelease", "app", "policy:\n  semver:\n    range: '>=2.0.0-0 <3.0.0'"));
        s.apply(imagePolicy("alpha-desc", "app", "policy:\n  alphabetical:\n    order: desc"));
        s.apply(imagePolicy("numbers", "app", "filterTags:\n  pattern: '^[0-9]+$'\npolicy:\n  numerical:\n    order: asc"));
        s.apply(imagePolicy("extract", "app", "filterTags:\n  pattern: '^main-[a-f0-9]+-(?<ts>[0-9]+)$'\n  extract: '$ts'\npolicy:\n  numerical: {}"));

        ImagePolicy semver = awaitLatest(s, "semver", "1.10.0");
        assertThat(semver.getStatus().getLatestRef().getName()).isEqualTo(registry.image("pick/app"));
        assertThat(semver.getStatus().getLatestRef().getDigest()).isNull();
        assertThat(readyMessage(semver.getStatus().getConditions()))
                .isEqualTo("Latest image tag for '" + registry.image("pick/app") + "' resolved to 1.10.0");
        awaitLatest(s, "prerelease", "2.0.0-rc.1");
        awaitLatest(s, "alpha-desc", "1.0.0");
        awaitLatest(s, "numbers", "20240101");
        awaitLatest(s, "extract", "main-abc-100");
    }

    @Test
    void aNewlyPushedTagIsFollowedAndThePreviousOneRecorded() {
        registry.push("follow/app", "1.0.0", "1.1.0");
        var s = new ImageScenario("imgfollow");
        s.apply(imageRepository("app", registry.image("follow/app"), null));
        s.apply(imagePolicy("app", "app", "policy:\n  semver:\n    range: '1.x'"));
        awaitLatest(s, "app", "1.1.0");

        registry.push("follow/app", "1.2.0");
        s.requestReconcile(ImageRepository.class, "app");
        ImagePolicy policy = awaitLatest(s, "app", "1.2.0");
        assertThat(policy.getStatus().getObservedPreviousRef().getTag()).isEqualTo("1.1.0");
        assertThat(readyMessage(policy.getStatus().getConditions())).endsWith("resolved to 1.2.0 (previously " + registry.image("follow/app") + ":1.1.0)");
        assertThat(s.events("app")).anyMatch(e -> e.getMessage().contains("resolved to 1.2.0"));
    }

    @Test
    void digestReflectionRecordsTheManifestDigest() {
        String digest = registry.push("digest/app", "3.0.0");
        var s = new ImageScenario("imgdigest");
        s.apply(imageRepository("app", registry.image("digest/app"), null));
        s.apply(imagePolicy("app", "app", "digestReflectionPolicy: IfNotPresent\npolicy:\n  semver:\n    range: '>=1.0.0'"));
        ImagePolicy policy = awaitLatest(s, "app", "3.0.0");
        assertThat(policy.getStatus().getLatestRef().getDigest()).isEqualTo(digest);
    }

    @Test
    void filterTagsIsGoRe2BacktrackingPatternsStayFastAndWhatRe2RejectsIsRefused() {
        // with Java's backtracking engine ^(.*?-){11}P runs for minutes over forty dash-separated numbers
        registry.push("redos/app", "a-b-c-d-e-f-g-h-i-j-k-P");
        registry.push("redos/app", java.util.stream.IntStream.rangeClosed(1, 40).mapToObj(Integer::toString)
                .collect(java.util.stream.Collectors.joining("-")));
        var s = new ImageScenario("imgredos");
        s.apply(imageRepository("app", registry.image("redos/app"), null));
        s.apply(imagePolicy("slow", "app", "filterTags:\n  pattern: '^(.*?-){11}P'\npolicy:\n  alphabetical: {}"));
        awaitLatest(s, "slow", "a-b-c-d-e-f-g-h-i-j-k-P");

        // lookahead is Java syntax, not Go's: refused as Flux refuses it, not silently given another meaning
        s.apply(imagePolicy("lookahead", "app", "filterTags:\n  pattern: '^a(?=a)'\npolicy:\n  alphabetical: {}"));
        ImagePolicy refused = s.awaitPolicy("lookahead", p -> p.getStatus() != null && ready(p.getStatus().getConditions(), "False"));
        assertThat(readyMessage(refused.getStatus().getConditions())).startsWith("invalid regular expression pattern '^a(?=a)': ");
        assertThat(refused.getStatus().getLatestRef()).isNull();
    }

    @Test
    void noMatchingTagIsNotReadyWithTheRangeInTheMessage() {
        registry.push("nomatch/app", "1.0.0");
        var s = new ImageScenario("imgnomatch");
        s.apply(imageRepository("app", registry.image("nomatch/app"), null));
        s.apply(imagePolicy("app", "app", "policy:\n  semver:\n    range: '>=5.0.0'"));
        ImagePolicy policy = s.awaitPolicy("app", p -> p.getStatus() != null && ready(p.getStatus().getConditions(), "False")
                && readyReason(p.getStatus().getConditions()).equals("NoMatchingTag"));
        assertThat(readyMessage(policy.getStatus().getConditions())).contains("matches the policy").contains("semver range '>=5.0.0'");
        assertThat(policy.getStatus().getLatestRef()).isNull();
    }

    @Test
    void aRepositoryThatIsNotReadyMakesThePolicyNotReadyButKeepsItsPick() {
        registry.push("broken/app", "1.0.0");
        var s = new ImageScenario("imgbroken");
        s.apply(imageRepository("app", registry.image("broken/app"), null));
        s.apply(imagePolicy("app", "app", "policy:\n  semver:\n    range: '*'"));
        awaitLatest(s, "app", "1.0.0");

        s.apply(imageRepository("app", registry.image("broken/app"), "secretRef:\n  name: missing"));
        ImagePolicy policy = s.awaitPolicy("app", p -> ready(p.getStatus().getConditions(), "False"));
        assertThat(readyReason(policy.getStatus().getConditions())).isEqualTo("DependencyNotReady");
        assertThat(readyMessage(policy.getStatus().getConditions())).contains("the ImageRepository '" + s.namespace + "/app' is not ready")
                .contains("secret '" + s.namespace + "/missing' not found");
        assertThat(policy.getStatus().getLatestRef().getTag()).isEqualTo("1.0.0");
    }

    @Test
    void aMissingRepositoryIsNotReady() {
        var s = new ImageScenario("imgnorepo");
        s.apply(imagePolicy("app", "nowhere", "policy:\n  alphabetical: {}"));
        ImagePolicy policy = s.awaitPolicy("app", p -> p.getStatus() != null && ready(p.getStatus().getConditions(), "False"));
        assertThat(readyReason(policy.getStatus().getConditions())).isEqualTo("DependencyNotReady");
        assertThat(readyMessage(policy.getStatus().getConditions())).contains("ImageRepository '" + s.namespace + "/nowhere' not found");
    }

    @Test
    void crossNamespaceUseNeedsTheRepositorysAccessFrom() {
        registry.push("shared/app", "1.0.0");
        var owner = new ImageScenario("imgowner");
        var user = new ImageScenario("imguser");
        owner.apply(imageRepository("app", registry.image("shared/app"), null));
        owner.awaitRepository("app", r -> r.getStatus() != null && ready(r.getStatus().getConditions(), "True"));
        user.apply(imagePolicy("app", "app", "policy:\n  semver:\n    range: '*'").replace("    name: app\n",
                "    name: app\n    namespace: " + owner.namespace + "\n"));
        ImagePolicy denied = user.awaitPolicy("app", p -> p.getStatus() != null && ready(p.getStatus().getConditions(), "False"));
        assertThat(readyReason(denied.getStatus().getConditions())).isEqualTo("AccessDenied");
        assertThat(readyMessage(denied.getStatus().getConditions())).contains("does not allow access from namespace '" + user.namespace + "'");

        owner.apply(imageRepository("app", registry.image("shared/app"), """
                accessFrom:
                  namespaceSelectors:
                    - matchLabels:
                        kubernetes.io/metadata.name: %s
                """.formatted(user.namespace)));
        user.client.namespaces().withName(user.namespace).edit(n -> {
            n.getMetadata().setLabels(java.util.Map.of("kubernetes.io/metadata.name", user.namespace));
            return n;
        });
        user.requestReconcile(ImagePolicy.class, "app");
        awaitLatest(user, "app", "1.0.0");
    }
}
