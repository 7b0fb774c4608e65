package io.currents.runtime.sops;

import io.currents.testkit.TestTools;
import io.currents.testkit.sops.AgeIdentity;
import io.currents.testkit.sops.SopsEncryptor;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The reference age tool (Debian's {@code age}, unpacked by hack/install-test-deps.sh) reads the data keys the test encryptor wraps, and writes ones we read. */
class AgeInteroperabilityTest {

    @Test
    void theAgeCliUnwrapsOurDataKeyAndWeReadWhatItEncrypts() throws Exception {
        String age = TestTools.require(TestTools.Tool.AGE).toString();
        AgeIdentity identity = AgeIdentity.generate();
        Path keyFile = Files.createTempFile("age", ".agekey");
        Files.writeString(keyFile, identity.keyFile());

        String encrypted = new SopsEncryptor().age(identity.recipient()).encryptBinary("x".getBytes(StandardCharsets.UTF_8));
        @SuppressWarnings("unchecked")
        var sops = (Map<String, Object>) new com.fasterxml.jackson.databind.ObjectMapper().readValue(encrypted, Map.class).get("sops");
        String armored = (String) ((Map<String, Object>) ((java.util.List<?>) sops.get("age")).get(0)).get("enc");
        Process decrypt = new ProcessBuilder(age, "-d", "-i", keyFile.toString()).start();
        decrypt.getOutputStream().write(armored.getBytes(StandardCharsets.US_ASCII));
        decrypt.getOutputStream().close();
        byte[] dataKey = decrypt.getInputStream().readAllBytes();
        assertThat(decrypt.waitFor()).isZero();
        assertThat(dataKey).hasSize(32);

        Process encrypt = new ProcessBuilder(age, "-a", "-r", identity.recipient()).start();
        encrypt.getOutputStream().write(dataKey);
        encrypt.getOutputStream().close();
        String byCli = new String(encrypt.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(encrypt.waitFor()).isZero();
        String rewrapped = encrypted.replace(armored.replace("\n", "\\n"), byCli.replace("\n", "\\n"));
        assertThat(rewrapped).isNotEqualTo(encrypted);

        byte[] plain = new SopsDecryptor(new SopsKeys().addAgeIdentities(identity.keyFile()))
                .decrypt(rewrapped.getBytes(StandardCharsets.UTF_8), SopsFormat.BINARY);
        assertThat(plain).isEqualTo("x".getBytes(StandardCharsets.UTF_8));
    }
}
