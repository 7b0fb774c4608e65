package io.currents.testkit.sops;

import com.exceptionfactory.jagged.framework.armor.ArmoredEncryptingChannelFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaWriterFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcePGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePublicKeyKeyEncryptionMethodGenerator;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A test-only SOPS encryptor writing files the way {@code sops --encrypt} does (version 3 format): a random
 * 32-byte data key wrapped for age recipients and OpenPGP keys, each value AES256-GCM encrypted with a 32-byte
 * IV and its key path as additional data, a SHA-512 MAC over all values encrypted with the timestamp.
 */
public final class SopsEncryptor {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DateTimeFormatter GO_RFC3339 = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> ageRecipients = new ArrayList<>();
    private final List<PgpKeyPair> pgpKeys = new ArrayList<>();
    private final Map<String, List<java.util.function.Function<byte[], Map<String, Object>>>> keyServices = new LinkedHashMap<>();
    private String unencryptedSuffix = "_unencrypted";
    private String encryptedRegex = "";
    private boolean macOnlyEncrypted;
    private int shamirThreshold;

    public SopsEncryptor age(String recipient) {
        ageRecipients.add(recipient);
        return this;
    }

    public SopsEncryptor pgp(PgpKeyPair key) {
        pgpKeys.add(key);
        return this;
    }

    /**
     * Wraps the data key with a key service too: {@code type} is the metadata key ({@code hc_vault}, {@code kms}) and
     * {@code entry} turns the data key into that entry (see {@link KeyServiceServer}).
     */
    public SopsEncryptor keyService(String type, java.util.function.Function<byte[], Map<String, Object>> entry) {
        keyServices.computeIfAbsent(type, t -> new ArrayList<>()).add(entry);
        return this;
    }

    /** Like {@code sops --encrypted-regex}: only keys matching it are encrypted (replaces the unencrypted suffix). */
    public SopsEncryptor encryptedRegex(String regex) {
        this.encryptedRegex = regex;
        this.unencryptedSuffix = "";
        return this;
    }

    /**
     * Like {@code sops --shamir-secret-sharing-threshold} with one key group per age recipient: the data key is split
     * into a part per recipient, {@code threshold} of which rebuild it.
     */
    public SopsEncryptor shamirAgeGroups(int threshold) {
        this.shamirThreshold = threshold;
        return this;
    }

    public SopsEncryptor macOnlyEncrypted(boolean value) {
        this.macOnlyEncrypted = value;
        return this;
    }

    @SuppressWarnings("unchecked")
    public String encryptYaml(String yaml) {
        Map<String, Object> doc = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(yaml);
        Map<String, Object> out = encryptDocument(doc);
        return new Dump(DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).build()).dumpToString(out);
    }

    @SuppressWarnings("unchecked")
    public String encryptJson(String json) {
        try {
            Map<String, Object> doc = JSON.readValue(json, LinkedHashMap.class);
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(encryptDocument(doc));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public String encryptDotenv(String dotenv) {
        Map<String, Object> doc = new LinkedHashMap<>();
        for (String line : dotenv.split("\\R")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            doc.put(line.substring(0, eq), line.substring(eq + 1));
        }
        Map<String, Object> encrypted = encryptDocument(doc);
        StringBuilder out = new StringBuilder();
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = (Map<String, Object>) encrypted.remove("sops");
        encrypted.forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
        flatten("", metadata).forEach((k, v) -> out.append("sops_").append(k).append('=')
                .append(String.valueOf(v).replace("\n", "\\n")).append('\n'));
        return out.toString();
    }

    public String encryptBinary(byte[] data) {
        byte[] dataKey = randomBytes(32);
        MessageDigest mac = sha512();
        mac.update(data);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("data", seal(data, "str", dataKey, "data:"));
        out.put("sops", metadata(dataKey, mac));
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Object> encryptDocument(Map<String, Object> doc) {
        byte[] dataKey = randomBytes(32);
        MessageDigest mac = sha512();
        @SuppressWarnings("unchecked")
        Map<String, Object> out = (Map<String, Object>) walk(doc, new ArrayList<>(), dataKey, mac);
        out.put("sops", metadata(dataKey, mac));
        return out;
    }

    private Object walk(Object value, List<String> path, byte[] dataKey, MessageDigest mac) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> result = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                path.add(String.valueOf(k));
                result.put(String.valueOf(k), walk(v, path, dataKey, mac));
                path.removeLast();
            });
            return result;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(item -> walk(item, path, dataKey, mac)).toList();
        }
        boolean encrypted = shouldEncrypt(path);
        String text = toText(value);
        if (!macOnlyEncrypted || encrypted) {
            mac.update(text.getBytes(StandardCharsets.UTF_8));
        }
        if (!encrypted || text.isEmpty()) {
            return value;
        }
        return seal(text.getBytes(StandardCharsets.UTF_8), typeOf(value), dataKey, String.join(":", path) + ":");
    }

    private boolean shouldEncrypt(List<String> path) {
        if (!unencryptedSuffix.isEmpty() && path.stream().anyMatch(p -> p.endsWith(unencryptedSuffix))) {
            return false;
        }
        if (!encryptedRegex.isEmpty()) {
            Pattern p = Pattern.compile(encryptedRegex);
            return path.stream().anyMatch(k -> p.matcher(k).find());
        }
        return true;
    }

    private static String typeOf(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof java.math.BigInteger) {
            return "int";
        }
        if (value instanceof Double || value instanceof Float) {
            return "float";
        }
        if (value instanceof Boolean) {
            return "bool";
        }
        return "str";
    }

    private static String toText(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Double || value instanceof Float) {
            return new BigDecimal(Double.toString(((Number) value).doubleValue())).stripTrailingZeros().toPlainString();
        }
        return value.toString();
    }

    private Map<String, Object> metadata(byte[] dataKey, MessageDigest mac) {
        String lastModified = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).format(GO_RFC3339);
        String macHex = HexFormat.of().withUpperCase().formatHex(mac.digest());
        Map<String, Object> sops = new LinkedHashMap<>();
        List<Map<String, Object>> age = new ArrayList<>();
        if (shamirThreshold > 0) {
            List<byte[]> parts = shamirSplit(dataKey, ageRecipients.size(), shamirThreshold);
            List<Map<String, Object>> groups = new ArrayList<>();
            for (int i = 0; i < ageRecipients.size(); i++) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("recipient", ageRecipients.get(i));
                entry.put("enc", wrapAge(parts.get(i), ageRecipients.get(i)));
                groups.add(Map.of("age", List.of(entry)));
            }
            sops.put("key_groups", groups);
            sops.put("shamir_threshold", shamirThreshold);
        }
        for (String recipient : shamirThreshold > 0 ? List.<String>of() : ageRecipients) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("recipient", recipient);
            entry.put("enc", wrapAge(dataKey, recipient));
            age.add(entry);
        }
        if (!age.isEmpty()) {
            sops.put("age", age);
        }
        sops.put("lastmodified", lastModified);
        sops.put("mac", seal(macHex.getBytes(StandardCharsets.UTF_8), "str", dataKey, lastModified));
        List<Map<String, Object>> pgp = new ArrayList<>();
        for (PgpKeyPair key : pgpKeys) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("created_at", lastModified);
            entry.put("enc", wrapPgp(dataKey, key));
            entry.put("fp", key.fingerprint());
            pgp.add(entry);
        }
        if (!pgp.isEmpty()) {
            sops.put("pgp", pgp);
        }
        keyServices.forEach((type, entries) -> sops.put(type, entries.stream().map(e -> e.apply(dataKey)).toList()));
        if (!unencryptedSuffix.isEmpty()) {
            sops.put("unencrypted_suffix", unencryptedSuffix);
        }
        if (!encryptedRegex.isEmpty()) {
            sops.put("encrypted_regex", encryptedRegex);
        }
        if (macOnlyEncrypted) {
            sops.put("mac_only_encrypted", true);
        }
        sops.put("version", "3.9.4");
        return sops;
    }

    /** Shamir's split as sops makes it: per byte a random polynomial of degree threshold-1, parts {y..., x} for x = 1..n. */
    private static List<byte[]> shamirSplit(byte[] secret, int parts, int threshold) {
        List<byte[]> out = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            byte[] part = new byte[secret.length + 1];
            part[secret.length] = (byte) (p + 1);
            out.add(part);
        }
        for (int b = 0; b < secret.length; b++) {
            byte[] coefficients = randomBytes(threshold);
            coefficients[0] = secret[b];
            for (int p = 0; p < parts; p++) {
                int x = p + 1;
                int y = 0;
                for (int c = threshold - 1; c >= 0; c--) {
                    y = gfMultiply(y, x) ^ (coefficients[c] & 0xff);
                }
                out.get(p)[b] = (byte) y;
            }
        }
        return out;
    }

    private static int gfMultiply(int a, int b) {
        int product = 0;
        for (int i = 0; i < 8; i++, b >>= 1) {
            if ((b & 1) != 0) {
                product ^= a;
            }
            a = (a & 0x80) != 0 ? ((a << 1) ^ 0x11b) & 0xff : a << 1;
        }
        return product;
    }

    /** {@code ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]} with a 32-byte IV, as sops writes it. */
    static String seal(byte[] plaintext, String type, byte[] dataKey, String additionalData) {
        try {
            byte[] iv = randomBytes(32);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(dataKey, "AES"), new GCMParameterSpec(128, iv));
            cipher.updateAAD(additionalData.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext);
            byte[] data = java.util.Arrays.copyOf(sealed, sealed.length - 16);
            byte[] tag = java.util.Arrays.copyOfRange(sealed, sealed.length - 16, sealed.length);
            Base64.Encoder b64 = Base64.getEncoder();
            return "ENC[AES256_GCM,data:" + b64.encodeToString(data) + ",iv:" + b64.encodeToString(iv)
                    + ",tag:" + b64.encodeToString(tag) + ",type:" + type + "]";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String wrapAge(byte[] dataKey, String recipient) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (WritableByteChannel channel = new ArmoredEncryptingChannelFactory().newEncryptingChannel(
                    Channels.newChannel(out), List.of(X25519RecipientStanzaWriterFactory.newRecipientStanzaWriter(recipient)))) {
                channel.write(ByteBuffer.wrap(dataKey));
            }
            return out.toString(StandardCharsets.US_ASCII);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String wrapPgp(byte[] dataKey, PgpKeyPair key) {
        try {
            PGPEncryptedDataGenerator generator = new PGPEncryptedDataGenerator(
                    new JcePGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256).setWithIntegrityPacket(true)
                            .setSecureRandom(RANDOM).setProvider(PgpKeyPair.BC));
            generator.addMethod(new JcePublicKeyKeyEncryptionMethodGenerator(key.publicKey()).setProvider(PgpKeyPair.BC));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ArmoredOutputStream armor = new ArmoredOutputStream(out);
                 OutputStream encrypted = generator.open(armor, new byte[4096]);
                 OutputStream literal = new PGPLiteralDataGenerator().open(encrypted, PGPLiteralData.BINARY, "", dataKey.length, new Date())) {
                literal.write(dataKey);
            }
            return out.toString(StandardCharsets.US_ASCII);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** sops' dotenv flattening of the metadata tree: {@code age__list_0__map_recipient}. */
    private static Map<String, Object> flatten(String prefix, Object value) {
        Map<String, Object> flat = new LinkedHashMap<>();
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> flat.putAll(flatten(prefix.isEmpty() ? String.valueOf(k) : prefix + "__map_" + k, v)));
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                flat.putAll(flatten(prefix + "__list_" + i, list.get(i)));
            }
        } else {
            flat.put(prefix, value);
        }
        return flat;
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static MessageDigest sha512() {
        try {
            return MessageDigest.getInstance("SHA-512");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
