package io.currents.helm.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.currents.runtime.artifact.LimitedInputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * One version of a Helm release as Helm stores it (Secret {@code sh.helm.release.v1.<name>.v<N>}, key
 * {@code release}: base64 of gzip of the release JSON), decoded far enough for status, drift and rollback.
 */
record StoredRelease(String name, String namespace, int version, String status, String chartName, String chartVersion,
                     String appVersion, JsonNode config, String manifest, List<Hook> hooks, String firstDeployed,
                     String lastDeployed, String deleted, JsonNode json, String digest) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] GZIP_MAGIC = {(byte) 0x1f, (byte) 0x8b};
    /**
     * The largest release record read. Helm's Secret holds at most about 1 MiB of gzip (etcd's object limit), which
     * real releases expand to a few MiB; anyone who may write Secrets in the namespace can store a gzip bomb there.
     */
    static final long MAX_RELEASE_BYTES = 32L * 1024 * 1024;

    /** A release hook (pre-install, test, ...) with the outcome of its last run. */
    record Hook(String name, String kind, List<String> events, String manifest, String started, String completed, String phase) {
        boolean isTest() {
            return events.contains("test") || events.contains("test-success");
        }
    }

    /** Helm's description of the version ({@code Install complete}, {@code Upgrade complete}, ...), empty when none. */
    String description() {
        return json == null ? "" : json.path("info").path("description").asText("");
    }

    boolean isDeployed() {
        return "deployed".equals(status);
    }

    boolean isPending() {
        return status != null && status.startsWith("pending");
    }

    /** {@code <namespace>/<name>.v<version>}, as Flux names a release in messages. */
    String fullName() {
        return namespace + "/" + name + ".v" + version;
    }

    String chart() {
        return chartName + "@" + chartVersion;
    }

    /** The digest of the user-supplied values of this release, comparable with {@link ReleaseValues#digest}. */
    String configDigest() {
        return ReleaseValues.digest(config);
    }

    List<Hook> testHooks() {
        return hooks.stream().filter(Hook::isTest).toList();
    }

    /** Decodes the {@code release} value of a release Secret (still base64 of the Secret's data map). */
    static StoredRelease decode(String secretValue) throws IOException {
        return decode(secretValue, "release record");
    }

    /** The same, naming the record (its Secret) in the error when it expands past {@link #MAX_RELEASE_BYTES}. */
    static StoredRelease decode(String secretValue, String what) throws IOException {
        byte[] raw = Base64.getDecoder().decode(new String(Base64.getDecoder().decode(secretValue), StandardCharsets.UTF_8).trim());
        byte[] json = raw;
        if (raw.length > 2 && raw[0] == GZIP_MAGIC[0] && raw[1] == GZIP_MAGIC[1]) {
            try (InputStream in = new LimitedInputStream(new GZIPInputStream(new ByteArrayInputStream(raw)), MAX_RELEASE_BYTES, what)) {
                json = in.readAllBytes();
            }
        }
        JsonNode node = JSON.readTree(json);
        JsonNode info = node.path("info");
        JsonNode meta = node.path("chart").path("metadata");
        List<Hook> hooks = new ArrayList<>();
        for (JsonNode h : node.path("hooks")) {
            List<String> events = new ArrayList<>();
            h.path("events").forEach(e -> events.add(e.asText()));
            JsonNode run = h.path("last_run");
            hooks.add(new Hook(h.path("name").asText(), h.path("kind").asText(), events, h.path("manifest").asText(""),
                    text(run.path("started_at")), text(run.path("completed_at")), text(run.path("phase"))));
        }
        JsonNode config = node.path("config");
        if (config.isMissingNode() || config.isNull()) {
            config = JSON.createObjectNode();
        }
        return new StoredRelease(node.path("name").asText(), node.path("namespace").asText(), node.path("version").asInt(),
                info.path("status").asText(), meta.path("name").asText(), meta.path("version").asText(),
                text(meta.path("appVersion")), config, node.path("manifest").asText(""), hooks,
                text(info.path("first_deployed")), text(info.path("last_deployed")), text(info.path("deleted")),
                node, fluxDigest(node));
    }

    /**
     * The digest Flux's helm-controller writes in {@code status.history[].digest}: sha256 of the JSON encoding (as Go's
     * encoder writes it: HTML characters escaped, a trailing newline) of its observation of the release: name, version,
     * info, chart metadata, config (null when empty), manifest, the hooks other than tests (null when none), namespace.
     * Helm wrote the record's objects in its structs' field order, which is the order Flux encodes them in.
     */
    static String fluxDigest(JsonNode release) {
        ObjectNode observation = JSON.createObjectNode();
        observation.put("name", release.path("name").asText(""));
        observation.put("version", release.path("version").asInt());
        observation.set("info", release.path("info").isObject() ? release.get("info") : JSON.createObjectNode());
        JsonNode metadata = release.path("chart").path("metadata");
        observation.set("chartMetadata", metadata.isObject() ? metadata : JSON.createObjectNode());
        JsonNode config = release.path("config");
        observation.set("config", config.isObject() && !config.isEmpty() ? config : JSON.nullNode());
        observation.put("manifest", release.path("manifest").asText(""));
        com.fasterxml.jackson.databind.node.ArrayNode hooks = JSON.createArrayNode();
        for (JsonNode hook : release.path("hooks")) {
            boolean test = false;
            for (JsonNode event : hook.path("events")) {
                test |= "test".equals(event.asText());
            }
            if (!test) {
                hooks.add(hook);
            }
        }
        observation.set("hooks", hooks.isEmpty() ? JSON.nullNode() : hooks);
        observation.put("namespace", release.path("namespace").asText(""));
        try {
            String encoded = JSON.writeValueAsString(observation)
                    .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
                    .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029") + "\n";
            return "sha256:" + sha256(encoded.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The chart's own values (values.yaml) as stored in the release. */
    ObjectNode chartValues() {
        JsonNode values = json.path("chart").path("values");
        return values.isObject() ? (ObjectNode) values : JSON.createObjectNode();
    }

    private static String text(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        String s = node.asText();
        // Go's zero time marshals as "0001-01-01T00:00:00Z": not a real timestamp.
        return s.isEmpty() || s.startsWith("0001-01-01") ? null : s;
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
