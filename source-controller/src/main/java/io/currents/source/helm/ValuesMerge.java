package io.currents.source.helm;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Deep merge of Helm values: maps merge key by key, anything else in the later document replaces the earlier value. */
public final class ValuesMerge {

    private ValuesMerge() {
    }

    /** Parses a values document; an empty document is an empty map. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parse(byte[] yaml, String path) throws ChartBuildException {
        try {
            Object doc = Chart.YAML.readValue(yaml, Object.class);
            if (doc == null) {
                return new LinkedHashMap<>();
            }
            if (!(doc instanceof Map<?, ?> map)) {
                throw ChartBuildException.values("unmarshaling values from '" + path + "' failed: not a YAML mapping");
            }
            return (Map<String, Object>) map;
        } catch (IOException e) {
            if (yaml.length == 0 || new String(yaml).isBlank()) {
                return new LinkedHashMap<>();
            }
            throw ChartBuildException.values("unmarshaling values from '" + path + "' failed: " + Chart.firstLine(e.getMessage()));
        }
    }

    /** Merges {@code overlay} into {@code base} (changed in place) and returns it. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> overlay) {
        for (Map.Entry<String, Object> e : overlay.entrySet()) {
            Object existing = base.get(e.getKey());
            if (existing instanceof Map<?, ?> a && e.getValue() instanceof Map<?, ?> b) {
                Map<String, Object> nested = new LinkedHashMap<>((Map<String, Object>) a);
                base.put(e.getKey(), merge(nested, (Map<String, Object>) b));
            } else {
                base.put(e.getKey(), e.getValue());
            }
        }
        return base;
    }
}
