package io.currents.runtime.helm;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * The string values a release took from Secrets ({@code spec.valuesFrom} of kind Secret), masked as {@code ***} in
 * everything the HelmRelease reports: Helm's errors quote values (a failed template, a {@code required} message, a
 * rendered manifest the API server refused), and conditions, events and notifications are read far more widely than
 * the Secret. Strings shorter than four characters are left alone: masking them would garble every message.
 */
public final class SecretValues {

    public static final int MIN_LENGTH = 4;
    public static final String MASK = "***";

    // longest first, so that a value containing another is masked whole
    private final TreeSet<String> values = new TreeSet<>(Comparator.comparingInt(String::length).reversed().thenComparing(s -> s));

    /** Remembers every string leaf of a values document read from a Secret. */
    public void addDocument(JsonNode node) {
        if (node == null) {
            return;
        }
        if (node.isTextual()) {
            add(node.asText());
        } else if (node.isContainerNode()) {
            node.forEach(this::addDocument);
        }
    }

    /** Remembers one value (a Secret's {@code targetPath} value, as written). */
    public void add(String value) {
        if (value != null && value.strip().length() >= MIN_LENGTH) {
            values.add(value.strip());
        }
    }

    public String redact(String message) {
        if (message == null || values.isEmpty()) {
            return message;
        }
        String out = message;
        for (String value : values) {
            out = out.replace(value, MASK);
        }
        return out;
    }

    /** Masks the messages of the conditions in place. */
    public void redact(List<Condition> conditions) {
        if (values.isEmpty() || conditions == null) {
            return;
        }
        conditions.forEach(c -> c.setMessage(redact(c.getMessage())));
    }
}
