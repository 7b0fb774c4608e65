package io.currents.runtime.sops;

import io.currents.testkit.sops.AgeIdentity;
import io.currents.testkit.sops.SopsEncryptor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Any change to a SOPS file after encryption is refused: one base64 character changed in any encrypted value's data,
 * IV or tag (the MAC's included), or any unencrypted value changed. The refusal never quotes a plaintext value.
 */
class SopsTamperPropertiesTest {

    private static final AgeIdentity AGE = AgeIdentity.generate();
    private static final String BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final Pattern FIELD = Pattern.compile("(data|iv|tag):([A-Za-z0-9+/]+)=*,");

    @Provide
    Arbitrary<Map<String, String>> secrets() {
        Arbitrary<String> key = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8).filter(k -> !k.equals("sops"));
        Arbitrary<String> value = Arbitraries.strings().alpha().numeric().ofMinLength(6).ofMaxLength(40);
        return Arbitraries.maps(key, value).ofMinSize(1).ofMaxSize(5);
    }

    private static String encrypt(Map<String, String> values) {
        StringBuilder yaml = new StringBuilder("kind: Secret\nstringData:\n");
        values.forEach((k, v) -> yaml.append("  ").append(k).append(": \"").append(v).append("\"\n"));
        yaml.append("note_unencrypted: visible\n");
        return new SopsEncryptor().age(AGE.recipient()).encryptYaml(yaml.toString());
    }

    private static byte[] decrypt(String text) {
        return new SopsDecryptor(new SopsKeys().addAgeIdentities(AGE.keyFile())).decrypt(text.getBytes(StandardCharsets.UTF_8), SopsFormat.YAML);
    }

    @Property(tries = 60)
    void oneChangedCharacterInAnyCiphertextIvOrTagIsRefused(@ForAll("secrets") Map<String, String> values,
                                                            @ForAll @IntRange(max = 10_000) int which,
                                                            @ForAll @IntRange(max = 10_000) int where,
                                                            @ForAll @IntRange(min = 1, max = 63) int shift) {
        String encrypted = encrypt(values);
        assertThat(new String(decrypt(encrypted), StandardCharsets.UTF_8)).contains(values.values());

        // the characters whose change alters the decoded bytes: a field's last quartet may hold padding bits
        List<int[]> ranges = new ArrayList<>();
        Matcher m = FIELD.matcher(encrypted);
        while (m.find()) {
            if (m.group(2).length() > 4) {
                ranges.add(new int[] {m.start(2), m.start(2) + m.group(2).length() - 4});
            }
        }
        assertThat(ranges).isNotEmpty();
        int[] range = ranges.get(which % ranges.size());
        int at = range[0] + where % (range[1] - range[0]);
        char changed = BASE64.charAt((BASE64.indexOf(encrypted.charAt(at)) + shift) % 64);
        String tampered = encrypted.substring(0, at) + changed + encrypted.substring(at + 1);

        assertThatThrownBy(() -> decrypt(tampered)).isInstanceOf(SopsException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(values.values()));
    }

    @Property(tries = 30)
    void aChangedUnencryptedValueBreaksTheMac(@ForAll("secrets") Map<String, String> values,
                                              @ForAll("secrets") Map<String, String> replacement) {
        String encrypted = encrypt(values);
        String changed = replacement.values().iterator().next();
        String tampered = encrypted.replace("note_unencrypted: visible", "note_unencrypted: " + changed);

        assertThatThrownBy(() -> decrypt(tampered)).isInstanceOf(SopsException.class)
                .hasMessage("MAC mismatch: the file was modified after it was encrypted");
    }
}
