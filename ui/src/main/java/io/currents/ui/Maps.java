package io.currents.ui;

import java.util.List;
import java.util.Map;

/** Reading the untyped maps of GenericKubernetesResource without casts at every call site. */
final class Maps {

    private Maps() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return value instanceof List<?> l ? (List<Object>) l : List.of();
    }

    /** The value at a path of map keys, or null. */
    static Object at(Object root, String... path) {
        Object current = root;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(key);
        }
        return current;
    }

    static String string(Object root, String... path) {
        Object value = at(root, path);
        return value == null ? null : String.valueOf(value);
    }
}
