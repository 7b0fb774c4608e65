package io.currents.kustomization;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Keeps Secret values out of conditions, events and logs: the API server quotes rejected values in its
 * messages, so every value of the Secrets being applied or substituted is masked before a message leaves.
 */
final class Redaction {

    private static final int SHORTEST = 4;
    // Longest first, so a value that contains another is masked whole.
    private final Set<String> values = new TreeSet<>(Comparator.comparingInt(String::length).reversed().thenComparing(s -> s));

    void addAll(Set<String> secretValues) {
        secretValues.forEach(this::add);
    }

    /** Remembers the values of a Secret about to be applied. */
    @SuppressWarnings("unchecked")
    void addSecret(GenericKubernetesResource object) {
        if (!"Secret".equals(object.getKind())) {
            return;
        }
        Map<String, Object> props = object.getAdditionalProperties();
        if (props.get("data") instanceof Map<?, ?> data) {
            ((Map<String, Object>) data).values().forEach(v -> {
                String encoded = String.valueOf(v);
                add(encoded);
                try {
                    add(new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException ignored) {
                    // not base64: the encoded form is masked already
                }
            });
        }
        if (props.get("stringData") instanceof Map<?, ?> data) {
            ((Map<String, Object>) data).values().forEach(v -> add(String.valueOf(v)));
        }
    }

    private void add(String value) {
        if (value != null && value.strip().length() >= SHORTEST) {
            values.add(value);
            value.lines().map(String::strip).filter(l -> l.length() >= SHORTEST).forEach(values::add);
        }
    }

    String apply(String message) {
        if (message == null || values.isEmpty()) {
            return message;
        }
        String result = message;
        for (String value : values) {
            result = result.replace(value, "***");
        }
        return result;
    }
}
