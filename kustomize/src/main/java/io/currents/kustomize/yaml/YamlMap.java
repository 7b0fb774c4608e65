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

    /** An empty map with this one's empty-null marks (for copies). */
    public YamlMap emptyCopy() {
        YamlMap m = new YamlMap();
        if (emptyNulls != null) {
            m.emptyNulls = new HashSet<>(emptyNulls);
        }
        return m;
    }
}
