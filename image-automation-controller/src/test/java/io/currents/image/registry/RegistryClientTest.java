package io.currents.image.registry;

import io.currents.testkit.registry.OciRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The registry client against a real distribution registry: pagination, basic auth, digests. */
class RegistryClientTest {

    @Test
    void tagListsAreFollowedAcrossLinkPages() throws Exception {
        try (OciRegistry registry = OciRegistry.start()) {
            registry.push("team/app", "1.0.0", "1.1.0", "1.2.0", "2.0.0", "latest");
            ImageName image = ImageName.parse(registry.image("team/app"));
            RegistryClient client = new RegistryClient(image, null, true, null, Duration.ofSeconds(20), 2);
            assertThat(client.listTags()).containsExactlyInAnyOrder("1.0.0", "1.1.0", "1.2.0", "2.0.0", "latest");
        }
    }

    @Test
    void basicAuthIsAnsweredWithTheCredentialsAndRefusedWithoutOrWithWrongOnes() throws Exception {
        try (OciRegistry registry = OciRegistry.start("robot", "s3cret")) {
            String digest = registry.push("private/app", "0.1.0");
            ImageName image = ImageName.parse(registry.image("private/app"));
            RegistryClient good = new RegistryClient(image, new RegistryCredentials("robot", "s3cret"), true, null, Duration.ofSeconds(20));
            assertThat(good.listTags()).containsExactly("0.1.0");
            assertThat(good.digest("0.1.0")).isEqualTo(digest);

            RegistryClient anonymous = new RegistryClient(image, null, true, null, Duration.ofSeconds(20));
            assertThatThrownBy(anonymous::listTags).isInstanceOf(RegistryException.class)
                    .hasMessageContaining("requires authentication").hasMessageContaining("spec.secretRef");
            RegistryClient wrong = new RegistryClient(image, new RegistryCredentials("robot", "nope"), true, null, Duration.ofSeconds(20));
            assertThatThrownBy(wrong::listTags).hasMessageContaining("HTTP 401").hasMessageContaining("rejected the credentials");
        }
    }

    @Test
    void aBearerChallengeIsAnsweredWithATokenFromTheRegistrysTokenService() throws Exception {
        try (OciRegistry registry = OciRegistry.startWithTokenAuth("robot", "t0ken")) {
            String digest = registry.push("bearer/app", "1.0.0", "1.1.0");
            int before = registry.tokensIssued();
            ImageName image = ImageName.parse(registry.image("bearer/app"));
            RegistryClient client = new RegistryClient(image, new RegistryCredentials("robot", "t0ken"), true, null, Duration.ofSeconds(20), 1);
            assertThat(client.listTags()).containsExactlyInAnyOrder("1.0.0", "1.1.0");
            assertThat(client.digest("1.1.0")).isEqualTo(digest);
            assertThat(registry.tokensIssued()).isGreaterThan(before);

            RegistryClient wrong = new RegistryClient(image, new RegistryCredentials("robot", "nope"), true, null, Duration.ofSeconds(20));
            assertThatThrownBy(wrong::listTags).hasMessageContaining("token service").hasMessageContaining("refused the credentials")
                    .hasMessageContaining("HTTP 401");
            RegistryClient anonymous = new RegistryClient(image, null, true, null, Duration.ofSeconds(20));
            assertThatThrownBy(anonymous::listTags).hasMessageContaining("refused anonymous access");
        }
    }

    @Test
    void dockerConfigEntriesMatchTheRegistryHost() throws Exception {
        String config = """
                {"auths": {"https://index.docker.io/v1/": {"auth": "aHViOnB3"},
                           "127.0.0.1:5000": {"username": "u", "password": "p"}}}""";
        assertThat(RegistryCredentials.fromDockerConfig(config, "index.docker.io")).isEqualTo(new RegistryCredentials("hub", "pw"));
        assertThat(RegistryCredentials.fromDockerConfig(config, "127.0.0.1:5000")).isEqualTo(new RegistryCredentials("u", "p"));
        assertThat(RegistryCredentials.fromDockerConfig(config, "ghcr.io")).isNull();
        assertThat(List.of(new RegistryCredentials("u", "secret").toString())).noneMatch(s -> s.contains("secret"));
    }
}
