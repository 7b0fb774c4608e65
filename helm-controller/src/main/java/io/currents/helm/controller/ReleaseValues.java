package io.currents.helm.controller;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.nio.charset.StandardCharsets;

/**
 * The digest of a release's values (Flux's {@code configDigest}) and their YAML; the values themselves are composed
 * by runtime's {@link io.currents.runtime.helm.HelmValues}.
 */
final class ReleaseValues {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper CANONICAL = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private ReleaseValues() {
    }

    /**
     * The configDigest: sha256 over the canonical (key-sorted) JSON of the values; no values at all digest as
     * nothing, as in Flux. Flux hashes a YAML encoding instead, so the hex differs from Flux's for the same values;
     * the digest is only ever compared with digests this controller made (docs/helm-controller.md).
     */
    static String digest(JsonNode values) {
        if (values == null || values.isNull() || values.isMissingNode() || (values.isObject() && values.isEmpty())) {
            return "sha256:" + StoredRelease.sha256(new byte[0]);
        }
        try {
            Object plain = CANONICAL.convertValue(values == null || values.isNull() ? JsonNodeFactory.instance.objectNode() : values, Object.class);
            byte[] json = (CANONICAL.writeValueAsString(plain) + "\n").getBytes(StandardCharsets.UTF_8);
            return "sha256:" + StoredRelease.sha256(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String toYaml(JsonNode values) {
        try {
            return YAML.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
