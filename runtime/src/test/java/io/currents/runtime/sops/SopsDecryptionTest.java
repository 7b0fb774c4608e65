package io.currents.runtime.sops;

import io.currents.testkit.sops.AgeIdentity;
import io.currents.testkit.sops.PgpKeyPair;
import io.currents.testkit.sops.SopsEncryptor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class SopsDecryptionTest {

    private static AgeIdentity age;
    private static PgpKeyPair pgp;

    private static final String SECRET = """
            apiVersion: v1
            kind: Secret
            metadata:
              name: db
              namespace: apps
            type: Opaque
            stringData:
              password: s3cr3t-value
              port: 5432
              ratio: 0.75
              enabled: true
              hosts: [a.example.com, b.example.com]
              note_unencrypted: visible
            """;

    @BeforeAll
    static void keys() {
        age = AgeIdentity.generate();
        pgp = PgpKeyPair.generate("sops test <sops@example.com>");
    }

    private static SopsKeys ageKeys() {
        return new SopsKeys().addAgeIdentities(age.keyFile());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(byte[] text) {
        return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(new String(text, StandardCharsets.UTF_8));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aDataKeySplitAcrossKeyGroupsWithShamirNeedsTheThresholdOfGroups() {
        AgeIdentity first = AgeIdentity.generate();
        AgeIdentity second = AgeIdentity.generate();
        AgeIdentity third = AgeIdentity.generate();
        String encrypted = new SopsEncryptor().age(first.recipient()).age(second.recipient()).age(third.recipient())
                .shamirAgeGroups(2).encryptYaml(SECRET);
        assertThat(encrypted).contains("key_groups:").contains("shamir_threshold: 2");
        byte[] file = encrypted.getBytes(StandardCharsets.UTF_8);

        // any two of the three groups rebuild the data key
        for (SopsKeys keys : List.of(new SopsKeys().addAgeIdentities(first.keyFile()).addAgeIdentities(third.keyFile()),
                new SopsKeys().addAgeIdentities(second.keyFile() + "\n" + third.keyFile()))) {
            Map<String, Object> plain = yaml(new SopsDecryptor(keys).decrypt(file, SopsFormat.YAML));
            assertThat((Map<String, Object>) plain.get("stringData")).containsEntry("password", "s3cr3t-value");
        }
        // one group's part alone is not the key
        assertThatThrownBy(() -> new SopsDecryptor(new SopsKeys().addAgeIdentities(second.keyFile())).decrypt(file, SopsFormat.YAML))
                .isInstanceOf(SopsException.class)
                .hasMessageContaining("1 of 3 key groups decrypted, 2 needed");
    }

    @Test
    @SuppressWarnings("unchecked")
    void ageEncryptedYamlDecryptsWithTypesPreserved() {
        String encrypted = new SopsEncryptor().age(age.recipient()).encryptYaml(SECRET);
        assertThat(encrypted).doesNotContain("s3cr3t-value").contains("ENC[AES256_GCM,").contains("note_unencrypted: visible");
        assertThat(SopsDecryptor.isEncrypted(encrypted.getBytes(StandardCharsets.UTF_8), SopsFormat.YAML)).isTrue();

        Map<String, Object> plain = yaml(new SopsDecryptor(ageKeys()).decrypt(encrypted.getBytes(StandardCharsets.UTF_8), SopsFormat.YAML));

        assertThat(plain).doesNotContainKey("sops");
        assertThat((Map<String, Object>) plain.get("stringData"))
                .containsEntry("password", "s3cr3t-value")
                .containsEntry("port", 5432)
                .containsEntry("ratio", 0.75)
                .containsEntry("enabled", true)
                .containsEntry("hosts", java.util.List.of("a.example.com", "b.example.com"))
                .containsEntry("note_unencrypted", "visible");
        assertThat(((Map<String, Object>) plain.get("metadata")).get("name")).isEqualTo("db");
    }

    @Test
    void aKubernetesSecretDocumentDecryptsInPlace() {
        String encrypted = new SopsEncryptor().age(age.recipient()).encryptedRegex("^(data|stringData)$").encryptYaml(SECRET);
        Map<String, Object> document = yaml(encrypted.getBytes(StandardCharsets.UTF_8));
        assertThat(SopsDecryptor.isEncrypted(document)).isTrue();
        assertThat(encrypted).contains("name: db");

        Map<String, Object> plain = new SopsDecryptor(ageKeys()).decryptDocument(document);

        assertThat(plain.get("stringData").toString()).contains("password=s3cr3t-value");
        assertThat(SopsDecryptor.isEncrypted(plain)).isFalse();
    }

    @Test
    void pgpEncryptedJsonDecrypts() {
        String json = "{\"user\": \"admin\", \"token\": \"abc123\", \"limits\": {\"max\": 10}}";
        String encrypted = new SopsEncryptor().pgp(pgp).encryptJson(json);
        assertThat(encrypted).doesNotContain("abc123").contains(pgp.fingerprint());

        var keys = new SopsKeys().addPgpKeys(pgp.armoredSecretKey().getBytes(StandardCharsets.US_ASCII));
        String plain = new String(new SopsDecryptor(keys).decrypt(encrypted.getBytes(StandardCharsets.UTF_8), SopsFormat.JSON), StandardCharsets.UTF_8);

        assertThat(plain).contains("\"token\" : \"abc123\"").contains("\"max\" : 10").doesNotContain("sops");
    }

    @Test
    void dotenvDecryptsWithAgeAndKeepsOrder() {
        String encrypted = new SopsEncryptor().age(age.recipient()).encryptDotenv("DB_USER=app\nDB_PASSWORD=hunter2\n");
        assertThat(encrypted).doesNotContain("hunter2").contains("sops_age__list_0__map_recipient=" + age.recipient());
        assertThat(SopsDecryptor.isEncrypted(encrypted.getBytes(StandardCharsets.UTF_8), SopsFormat.DOTENV)).isTrue();

        byte[] plain = new SopsDecryptor(ageKeys()).decrypt(encrypted.getBytes(StandardCharsets.UTF_8), SopsFormat.DOTENV);

        assertThat(new String(plain, StandardCharsets.UTF_8)).isEqualTo("DB_USER=app\nDB_PASSWORD=hunter2\n");
    }

    @Test
    void binaryFilesDecryptToTheirExactBytes() {
        byte[] content = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n".getBytes(StandardCharsets.UTF_8);
        String encrypted = new SopsEncryptor().pgp(pgp).age(age.recipient()).encryptBinary(content);

        var keys = SopsKeys.fromSecretData(Map.of("identity.asc", pgp.armoredSecretKey().getBytes(StandardCharsets.US_ASCII)));
        assertThat(new SopsDecryptor(keys).decrypt(encrypted.getBytes(StandardCharsets.UTF_8), SopsFormat.BINARY)).isEqualTo(content);
        assertThat(new SopsDecryptor(ageKeys()).decrypt(encrypted.getBytes(StandardCharsets.UTF_8), SopsFormat.BINARY)).isEqualTo(content);
        assertThat(SopsFormat.forPath("tls.crt")).isEqualTo(SopsFormat.BINARY);
    }

    @Test
    void anAliasBombInAnEncryptedFileIsRefusedBeforeItIsWalked() {
        // keys left in clear text (the "_unencrypted" suffix) are still part of the MAC, so a decryptor walks them all
        StringBuilder bomb = new StringBuilder("l0_unencrypted: &l0 [lol, lol]\n");
        for (int i = 1; i < 25; i++) {
            bomb.append("l").append(i).append("_unencrypted: &l").append(i).append(" [*l").append(i - 1).append(", *l").append(i - 1).append("]\n");
        }
        String encrypted = new SopsEncryptor().age(age.recipient()).encryptYaml(SECRET) + bomb;

        // a walk of the expanded tree (decryption, MAC) would visit 2^25 values: it must not start
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () ->
                assertThatThrownBy(() -> new SopsDecryptor(ageKeys()).decrypt(encrypted.getBytes(StandardCharsets.UTF_8), SopsFormat.YAML))
                        .isInstanceOf(SopsException.class)
                        .hasMessageStartingWith("sops YAML document: document contains excessive aliasing"));
    }

    @Test
    void changingAnUnencryptedValueBreaksTheMac() {
        String encrypted = new SopsEncryptor().age(age.recipient()).encryptYaml(SECRET);
        String tampered = encrypted.replace("note_unencrypted: visible", "note_unencrypted: changed");
        assertThat(tampered).isNotEqualTo(encrypted);

        assertThatThrownBy(() -> new SopsDecryptor(ageKeys()).decrypt(tampered.getBytes(StandardCharsets.UTF_8), SopsFormat.YAML))
                .isInstanceOf(SopsException.class)
                .hasMessage("MAC mismatch: the file was modified after it was encrypted");
    }

    @Test
    void movingAnEncryptedValueToAnotherKeyFailsAuthentication() {
        String encrypted = new SopsEncryptor().age(age.recipient()).encryptDotenv("A=first\nB=second\n");
        String a = encrypted.lines().filter(l -> l.startsWith("A=")).findFirst().orElseThrow().substring(2);
        String b = encrypted.lines().filter(l -> l.startsWith("B=")).findFirst().orElseThrow().substring(2);
        String swapped = encrypted.replace("A=" + a, "A=" + b).replace("B=" + b, "B=" + a);

        assertThatThrownBy(() -> new SopsDecryptor(ageKeys()).decrypt(swapped.getBytes(StandardCharsets.UTF_8), SopsFormat.DOTENV))
                .isInstanceOf(SopsException.class)
                .hasMessageStartingWith("failed to decrypt value at 'A:'");
    }

    @Test
    void aWrongKeyNamesTheRecipientsButRevealsNoSecret() {
        AgeIdentity stranger = AgeIdentity.generate();
        String encrypted = new SopsEncryptor().age(age.recipient()).pgp(pgp).encryptYaml(SECRET);

        assertThatThrownBy(() -> new SopsDecryptor(new SopsKeys().addAgeIdentities(stranger.keyFile()))
                .decrypt(encrypted.getBytes(StandardCharsets.UTF_8), SopsFormat.YAML))
                .isInstanceOf(SopsException.class)
                .hasMessageStartingWith("failed to get the data key required to decrypt the SOPS file")
                .hasMessageContaining(age.recipient())
                .hasMessageContaining(pgp.fingerprint())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(stranger.identity()).doesNotContain("s3cr3t"));
    }

    @Test
    void aBadAgeKeyFileIsRejectedWithoutEchoingIt() {
        assertThatThrownBy(() -> new SopsKeys().addAgeIdentities("AGE-SECRET-KEY-1NOTAREALKEY"))
                .isInstanceOf(SopsException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("NOTAREALKEY"));
    }

    @Test
    void macOnlyEncryptedLetsUnencryptedFieldsChange() {
        String encrypted = new SopsEncryptor().age(age.recipient()).encryptedRegex("^(data|stringData)$")
                .macOnlyEncrypted(true).encryptYaml(SECRET);
        String relabelled = encrypted.replace("name: db", "name: db2");

        Map<String, Object> plain = yaml(new SopsDecryptor(ageKeys()).decrypt(relabelled.getBytes(StandardCharsets.UTF_8), SopsFormat.YAML));

        assertThat(plain.get("metadata").toString()).contains("name=db2");
    }
}
