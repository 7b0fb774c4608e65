package io.currents.oci;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistryCredentialsTest {

    @Test
    void theAuthEntryOfTheMatchingHostIsDecoded() throws Exception {
        String auth = Base64.getEncoder().encodeToString("bot:s3cret:with:colons".getBytes(StandardCharsets.UTF_8));
        String json = "{\"auths\":{\"other.io\":{\"username\":\"x\",\"password\":\"y\"},"
                + "\"https://registry.example.com:5000/v2/\":{\"auth\":\"" + auth + "\"}}}";
        RegistryCredentials c = RegistryCredentials.fromDockerConfig(json, "registry.example.com:5000").orElseThrow();
        assertThat(c.username()).isEqualTo("bot");
        assertThat(c.password()).isEqualTo("s3cret:with:colons");
        assertThat(c.toString()).doesNotContain("s3cret");
    }

    @Test
    void usernameAndPasswordFieldsWorkAndOtherHostsGetNothing() throws Exception {
        String json = "{\"auths\":{\"127.0.0.1:5000\":{\"username\":\"u\",\"password\":\"p\"}}}";
        assertThat(RegistryCredentials.fromDockerConfig(json, "127.0.0.1:5000")).contains(new RegistryCredentials("u", "p"));
        assertThat(RegistryCredentials.fromDockerConfig(json, "127.0.0.1:5001")).isEmpty();
    }

    @Test
    void malformedConfigIsAnErrorThatDoesNotEchoTheContent() {
        assertThatThrownBy(() -> RegistryCredentials.fromDockerConfig("{\"auths\": secret", "x"))
                .hasMessage("the Docker config JSON is malformed");
    }
}
