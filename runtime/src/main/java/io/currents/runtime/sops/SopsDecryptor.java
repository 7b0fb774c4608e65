package io.currents.runtime.sops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.currents.kustomize.yaml.BoundedLoad;
import io.currents.kustomize.yaml.YamlException;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decrypts files written by sops (YAML, JSON, dotenv and binary) and Kubernetes objects holding a whole-document
 * SOPS encryption: unwraps the data key with an age or OpenPGP key, decrypts each AES256-GCM value with its
 * path as additional data, and verifies the MAC over all values so that any tampering is refused.
 */
public final class SopsDecryptor {

    /** The top-level key holding the metadata in YAML/JSON documents. */
    public static final String METADATA_KEY = "sops";
    private static final String DOTENV_PREFIX = "sops_";
    private static final Pattern ENCRYPTED = Pattern.compile("^ENC\\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)]$", Pattern.DOTALL);
    private static final DateTimeFormatter GO_RFC3339 = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SopsKeys keys;

    public SopsDecryptor(SopsKeys keys) {
        this.keys = keys;
    }

    /** True when the parsed document carries a {@code sops} metadata block. */
    public static boolean isEncrypted(Map<String, Object> document) {
        return document.get(METADATA_KEY) instanceof Map<?, ?> sops && sops.containsKey("mac");
    }

    /** True when the file content, read in the given format, is a SOPS document. */
    public static boolean isEncrypted(byte[] content, SopsFormat format) {
        String text = new String(content, StandardCharsets.UTF_8);
        try {
            return switch (format) {
                case DOTENV -> text.lines().anyMatch(l -> l.startsWith(DOTENV_PREFIX + "mac="));
                case YAML -> parseYaml(text) instanceof Map<?, ?> m && isEncrypted(cast(m));
                case JSON, BINARY -> JSON.readValue(text, LinkedHashMap.class) instanceof Map<?, ?> m && isEncrypted(cast(m));
            };
        } catch (JsonProcessingException | RuntimeException e) {
            return false;
        }
    }

    /** Decrypts a file's content; the result is in the same format (raw bytes for binary), without sops metadata. */
    public byte[] decrypt(byte[] content, SopsFormat format) {
        String text = new String(content, StandardCharsets.UTF_8);
        return switch (format) {
            case YAML -> {
                Object doc = parseYaml(text);
                if (!(doc instanceof Map<?, ?> map)) {
                    throw new SopsException("sops YAML document is not a mapping");
                }
                yield dumpYaml(decryptDocument(cast(map))).getBytes(StandardCharsets.UTF_8);
            }
            case JSON -> {
                try {
                    yield JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(decryptDocument(readJson(text)));
                } catch (JsonProcessingException e) {
                    throw new SopsException("failed to write decrypted JSON", e);
                }
            }
            case DOTENV -> decryptDotenv(text);
            case BINARY -> decryptBinary(readJson(text));
        };
    }

    /**
     * Decrypts a document held as a map (e.g. a Kubernetes Secret from a kustomize build), returning a new
     * map without the {@code sops} key. Keys must be in the order of the encrypted file, as the MAC depends on it.
     */
    public Map<String, Object> decryptDocument(Map<String, Object> document) {
        Decryption decryption = start(document.get(METADATA_KEY));
        Map<String, Object> body = new LinkedHashMap<>(document);
        body.remove(METADATA_KEY);
        Map<String, Object> plain = cast(decryption.walk(body, new ArrayList<>()));
        decryption.verifyMac();
        return plain;
    }

    private byte[] decryptBinary(Map<String, Object> document) {
        Decryption decryption = start(document.get(METADATA_KEY));
        Object data = document.get("data");
        if (!(data instanceof String encrypted)) {
            throw new SopsException("sops binary document has no data value");
        }
        byte[] plain = decryption.leafBytes(encrypted, List.of("data"));
        decryption.verifyMac();
        return plain;
    }

    private byte[] decryptDotenv(String text) {
        Map<String, Object> body = new LinkedHashMap<>();
        Map<String, Object> flatMetadata = new LinkedHashMap<>();
        for (String line : text.split("\\R")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new SopsException("invalid dotenv line: no '=' found");
            }
            String key = line.substring(0, eq);
            String value = line.substring(eq + 1).replace("\\n", "\n");
            if (key.startsWith(DOTENV_PREFIX)) {
                flatMetadata.put(key.substring(DOTENV_PREFIX.length()), value);
            } else {
                body.put(key, value);
            }
        }
        Decryption decryption = start(unflatten(flatMetadata));
        Map<String, Object> plain = cast(decryption.walk(body, new ArrayList<>()));
        decryption.verifyMac();
        StringBuilder out = new StringBuilder();
        plain.forEach((k, v) -> out.append(k).append('=').append(asText(v).replace("\n", "\\n")).append('\n'));
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Rebuilds the metadata tree from sops' flattened dotenv keys ({@code age__list_0__map_recipient}). */
    static Map<String, Object> unflatten(Map<String, Object> flat) {
        Map<String, Object> root = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : flat.entrySet()) {
            String[] tokens = entry.getKey().split("(?=__list_|__map_)");
            Object container = root;
            for (int i = 0; i < tokens.length; i++) {
                boolean last = i == tokens.length - 1;
                String token = tokens[i];
                String next = last ? null : tokens[i + 1];
                Object child = last ? entry.getValue() : (next.startsWith("__list_") ? new ArrayList<>() : new LinkedHashMap<>());
                if (token.startsWith("__list_")) {
                    List<Object> list = castList(container);
                    int index = Integer.parseInt(token.substring("__list_".length()));
                    while (list.size() <= index) {
                        list.add(null);
                    }
                    if (list.get(index) == null || last) {
                        list.set(index, child);
                    }
                    container = list.get(index);
                } else {
                    String key = token.startsWith("__map_") ? token.substring("__map_".length()) : token;
                    Map<String, Object> map = cast(container);
                    if (last) {
                        map.put(key, child);
                    } else {
                        map.putIfAbsent(key, child);
                    }
                    container = map.get(key);
                }
            }
        }
        return root;
    }

    private Decryption start(Object metadataBlock) {
        if (!(metadataBlock instanceof Map<?, ?> map)) {
            throw new SopsException("sops metadata not found");
        }
        SopsMetadata metadata = SopsMetadata.parse(cast(map));
        return new Decryption(metadata, DataKey.unwrap(metadata, keys));
    }

    /** One pass over a document: decrypts leaves in order and feeds the MAC with their plaintext. */
    private static final class Decryption {
        private final SopsMetadata metadata;
        private final byte[] dataKey;
        private final MessageDigest mac;

        Decryption(SopsMetadata metadata, byte[] dataKey) {
            this.metadata = metadata;
            this.dataKey = dataKey;
            try {
                this.mac = MessageDigest.getInstance("SHA-512");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        Object walk(Object value, List<String> path) {
            if (value instanceof Map<?, ?> map) {
                Map<String, Object> result = new LinkedHashMap<>();
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    String key = String.valueOf(entry.getKey());
                    path.add(key);
                    result.put(key, walk(entry.getValue(), path));
                    path.removeLast();
                }
                return result;
            }
            if (value instanceof List<?> list) {
                // sops does not put list indexes in the path: all items share their parent's key.
                List<Object> result = new ArrayList<>();
                for (Object item : list) {
                    result.add(walk(item, path));
                }
                return result;
            }
            boolean encrypted = metadata.isEncrypted(path);
            Object plain = value;
            if (encrypted) {
                if (!(value instanceof String text)) {
                    throw new SopsException("value at '" + String.join(":", path) + "' should be encrypted but is not");
                }
                plain = typed(text, path);
            }
            if (!metadata.macOnlyEncrypted() || encrypted) {
                mac.update(macBytes(plain));
            }
            return plain;
        }

        byte[] leafBytes(String encrypted, List<String> path) {
            Value value = decryptValue(encrypted, pathString(path));
            mac.update(value.plaintext);
            return value.plaintext;
        }

        private Object typed(String text, List<String> path) {
            if (text.isEmpty()) {
                return text;
            }
            Value value = decryptValue(text, pathString(path));
            String plain = new String(value.plaintext, StandardCharsets.UTF_8);
            try {
                return switch (value.type) {
                    case "str", "comment" -> plain;
                    case "int" -> new BigInteger(plain).bitLength() < 32 ? (Object) Integer.parseInt(plain) : Long.parseLong(plain);
                    case "float" -> Double.parseDouble(plain);
                    case "bool" -> Boolean.parseBoolean(plain.toLowerCase());
                    case "bytes" -> value.plaintext;
                    default -> throw new SopsException("unknown sops value type '" + value.type + "' at '" + String.join(":", path) + "'");
                };
            } catch (NumberFormatException e) {
                throw new SopsException("value at '" + String.join(":", path) + "' does not parse as " + value.type);
            }
        }

        private record Value(byte[] plaintext, String type) {
        }

        private Value decryptValue(String text, String additionalData) {
            Matcher m = ENCRYPTED.matcher(text);
            if (!m.matches()) {
                throw new SopsException("value at '" + additionalData + "' does not match sops' data format");
            }
            try {
                byte[] data = Base64.getDecoder().decode(m.group(1));
                byte[] iv = Base64.getDecoder().decode(m.group(2));
                byte[] tag = Base64.getDecoder().decode(m.group(3));
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(dataKey, "AES"), new GCMParameterSpec(tag.length * 8, iv));
                cipher.updateAAD(additionalData.getBytes(StandardCharsets.UTF_8));
                byte[] sealed = Arrays.copyOf(data, data.length + tag.length);
                System.arraycopy(tag, 0, sealed, data.length, tag.length);
                return new Value(cipher.doFinal(sealed), m.group(4));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw new SopsException("failed to decrypt value at '" + additionalData
                        + "': authentication failed (wrong key, tampered value or moved value)");
            }
        }

        void verifyMac() {
            if (metadata.mac().isEmpty()) {
                throw new SopsException("sops metadata has no MAC; refusing an unauthenticated file");
            }
            String lastModified;
            try {
                lastModified = OffsetDateTime.parse(metadata.lastModified()).withOffsetSameInstant(ZoneOffset.UTC).format(GO_RFC3339);
            } catch (RuntimeException e) {
                throw new SopsException("sops metadata has an invalid lastmodified timestamp");
            }
            String expected;
            try {
                expected = new String(decryptValue(metadata.mac(), lastModified).plaintext, StandardCharsets.UTF_8);
            } catch (SopsException e) {
                throw new SopsException("failed to verify the sops MAC: it does not authenticate with the data key");
            }
            String computed = HexFormat.of().withUpperCase().formatHex(mac.digest());
            if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), computed.getBytes(StandardCharsets.UTF_8))) {
                throw new SopsException("MAC mismatch: the file was modified after it was encrypted");
            }
        }

        private static String pathString(List<String> path) {
            return String.join(":", path) + ":";
        }
    }

    /** The bytes sops hashes for a value: its text form as Go's strconv would print it. */
    static byte[] macBytes(Object value) {
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        return asText(value).getBytes(StandardCharsets.UTF_8);
    }

    private static String asText(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
        }
        return value.toString();
    }

    private static Object parseYaml(String text) {
        try {
            return BoundedLoad.loadOne(LoadSettings.builder().build(), text);
        } catch (YamlException e) {
            throw new SopsException("sops YAML document: " + e.getMessage());
        }
    }

    private static String dumpYaml(Map<String, Object> document) {
        Map<String, Object> printable = cast(printable(document));
        return new Dump(DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).build()).dumpToString(printable);
    }

    private static Object printable(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), printable(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(SopsDecryptor::printable).toList();
        }
        return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : value;
    }

    private static Map<String, Object> readJson(String text) {
        try {
            return cast(JSON.readValue(text, LinkedHashMap.class));
        } catch (JsonProcessingException e) {
            throw new SopsException("sops JSON document does not parse: " + e.getOriginalMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object map) {
        return (Map<String, Object>) map;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> castList(Object list) {
        return (List<Object>) list;
    }
}
