package io.currents.runtime.sops;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Files the real {@code sops} binary encrypted (Flux's and sops' own published test fixtures with their test keys,
 * see {@code src/test/resources/sops/real/README.md}) decrypt to the values their projects' tests expect, and a
 * changed byte in them is refused.
 */
class SopsRealToolFixturesTest {

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = SopsRealToolFixturesTest.class.getResourceAsStream("/sops/real/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    private static SopsKeys fluxAge() throws IOException {
        return new SopsKeys().addAgeIdentities(new String(fixture("flux-age.agekey"), StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(byte[] text) {
        return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(new String(text, StandardCharsets.UTF_8));
    }

    @Test
    @SuppressWarnings("unchecked")
    void fluxsAgeSecretFromSops39DecryptsToValue() throws IOException {
        Map<String, Object> secret = yaml(new SopsDecryptor(fluxAge()).decrypt(fixture("flux-age.yaml"), SopsFormat.YAML));
        assertThat((Map<String, Object>) secret.get("stringData")).containsExactly(Map.entry("key", "value"));
        assertThat(secret).doesNotContainKey("sops").containsEntry("kind", "Secret");
    }

    @Test
    @SuppressWarnings("unchecked")
    void fluxsPgpSecretDecryptsWithItsPublishedPrivateKey() throws IOException {
        SopsKeys keys = new SopsKeys().addPgpKeys(fixture("flux-pgp.asc"));
        Map<String, Object> secret = yaml(new SopsDecryptor(keys).decrypt(fixture("flux-pgp.yaml"), SopsFormat.YAML));
        assertThat((Map<String, Object>) secret.get("stringData")).containsExactly(Map.entry("key", "value"));
    }

    @Test
    void fluxsDotenvAndJsonFilesDecrypt() throws IOException {
        String env = new String(new SopsDecryptor(fluxAge()).decrypt(fixture("flux-age.env"), SopsFormat.DOTENV), StandardCharsets.UTF_8);
        assertThat(env.strip()).isEqualTo("key=value");

        byte[] json = new SopsDecryptor(fluxAge()).decrypt(fixture("flux-age.json"), SopsFormat.JSON);
        assertThat(new ObjectMapper().readValue(json, Map.class)).isEqualTo(Map.of("data", "value"));
    }

    @Test
    void sopsOwnFunctionalTestFileWithEncryptedCommentsDecryptsToItsPlaintext() throws IOException {
        SopsKeys keys = new SopsKeys().addPgpKeys(fixture("sops-functional-tests.asc"));
        byte[] plain = new SopsDecryptor(keys).decrypt(fixture("sops-comments.enc.yaml"), SopsFormat.YAML);
        assertThat(yaml(plain)).isEqualTo(yaml(fixture("sops-comments.yaml")));
    }

    @Test
    void aByteChangedInARealFileIsRefused() throws IOException {
        String original = new String(fixture("flux-age.yaml"), StandardCharsets.UTF_8);
        // the value's ciphertext "mHeXsmQ=": its first character changed (the one before "=" holds only padding bits)
        String tampered = original.replace("data:mHeXsmQ=", "data:nHeXsmQ=");
        assertThat(tampered).isNotEqualTo(original);
        assertThatThrownBy(() -> new SopsDecryptor(fluxAge()).decrypt(tampered.getBytes(StandardCharsets.UTF_8), SopsFormat.YAML))
                .isInstanceOf(SopsException.class).hasMessageNotContaining("value'");
        String relabelled = original.replace("name: age", "name: other");
        assertThatThrownBy(() -> new SopsDecryptor(fluxAge()).decrypt(relabelled.getBytes(StandardCharsets.UTF_8), SopsFormat.YAML))
                .isInstanceOf(SopsException.class).hasMessage("MAC mismatch: the file was modified after it was encrypted");
    }
}
