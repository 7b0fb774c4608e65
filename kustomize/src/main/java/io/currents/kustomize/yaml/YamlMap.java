package io.currents.kustomize.yaml;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Set;

/**
 * A mapping read from YAML that remembers which keys had an empty null value ({@code key:}) rather than
 * a written one ({@code key: null}, {@code key: ~}): kustomize's strategic merge keeps the latter in the
 * object it patches and drops the former.
 */
public final class YamlMap extends LinkedHashMap<String, Object> {
    private Set<String> emptyNulls;
    /** Key to {value as read, its text} for scalars that are not strings (annotations only). */
    private java.util.Map<String, Object[]> texts;
    /** Key to the JSON object of a schema comment on that field (kyaml's FieldMeta). */
    private java.util.Map<String, String> fieldSchemas;

    public YamlMap() {
        super();
    }

    /** Records that this key's null value was written as nothing. */
    public void markEmptyNull(String key) {
        if (emptyNulls == null) {
            emptyNulls = new HashSet<>();
        }
        emptyNulls.add(key);
    }

    /** Whether this key's value is a null written as nothing ({@code key:}). */
    public boolean isEmptyNull(String key) {
        return emptyNulls != null && emptyNulls.contains(key) && containsKey(key) && get(key) == null;
    }

    /** Records the text a non-string scalar value was written as. */
    public void recordText(String key, Object value, String text) {
        if (texts == null) {
            texts = new java.util.HashMap<>();
        }
        texts.put(key, new Object[] {value, text});
    }

    /** The text this key's value was written as, while it still has the value it was read with; else null. */
    public String writtenText(String key) {
        Object[] t = texts == null ? null : texts.get(key);
        if (t == null || !containsKey(key) || !java.util.Objects.equals(t[0], get(key))) {
            return null;
        }
        return (String) t[1];
    }

    /** Records a comment on this key's field that kyaml reads as the field's OpenAPI schema. */
    public void recordFieldSchema(String key, String json) {
        if (fieldSchemas == null) {
            fieldSchemas = new java.util.HashMap<>();
        }
        fieldSchemas.put(key, json);
    }

    /** The JSON object of this key's schema comment, or null. */
    public String fieldSchema(String key) {
        return fieldSchemas == null ? null : fieldSchemas.get(key);
    }

    /** An empty map with this one's empty-null marks and written texts (for copies). */
    public YamlMap emptyCopy() {
        YamlMap m = new YamlMap();
        if (emptyNulls != null) {
            m.emptyNulls = new HashSet<>(emptyNulls);
        }
        if (texts != null) {
            m.texts = new java.util.HashMap<>(texts);
        }
        if (fieldSchemas != null) {
            m.fieldSchemas = new java.util.HashMap<>(fieldSchemas);
        }
        return m;
    }
}
