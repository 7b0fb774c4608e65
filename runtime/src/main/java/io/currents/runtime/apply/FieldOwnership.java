package io.currents.runtime.apply;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Who owns a field by server-side apply: reads {@code metadata.managedFields} of a live object and answers whether
 * a field (a JSON pointer) is owned by an {@code Apply} manager other than ours. Pointer segments become
 * {@code fieldsV1} keys ({@code f:name}, and for list items the {@code k:{...}} key whose values match the item).
 */
final class FieldOwnership {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FieldOwnership() {
    }

    /** Whether an Apply manager other than {@code ourManager} owns the field at {@code pointer} of {@code live}. */
    @SuppressWarnings("unchecked")
    static boolean ownedByAnotherApplyManager(Map<String, Object> live, String pointer, String ourManager) {
        List<Map<String, Object>> applied = new ArrayList<>();
        if (live.get("metadata") instanceof Map<?, ?> meta && meta.get("managedFields") instanceof List<?> entries) {
            for (Object e : entries) {
                if (e instanceof Map<?, ?> entry && "Apply".equals(entry.get("operation")) && entry.get("subresource") == null
                        && entry.get("fieldsV1") instanceof Map<?, ?> fields && !Objects.equals(ourManager, entry.get("manager"))) {
                    applied.add((Map<String, Object>) fields);
                }
            }
        }
        if (applied.isEmpty()) {
            return false;
        }
        List<String> keys = fieldsV1Keys(live, pointer, applied);
        if (keys == null) {
            return false;
        }
        for (Map<String, Object> fields : applied) {
            if (contains(fields, keys)) {
                return true;
            }
        }
        return false;
    }

    /** The fieldsV1 path of a pointer, or null when a list item has no key in any entry. */
    @SuppressWarnings("unchecked")
    private static List<String> fieldsV1Keys(Map<String, Object> live, String pointer, List<Map<String, Object>> applied) {
        List<String> keys = new ArrayList<>();
        Object current = live;
        for (String segment : JsonPointers.segments(pointer)) {
            if (current instanceof List<?> list && segment.matches("[0-9]+")) {
                int index = Integer.parseInt(segment);
                if (index >= list.size() || !(list.get(index) instanceof Map<?, ?> item)) {
                    return null;
                }
                String key = itemKey((Map<String, Object>) item, keys, applied);
                if (key == null) {
                    return null;
                }
                keys.add(key);
                current = item;
            } else {
                keys.add("f:" + segment);
                current = current instanceof Map<?, ?> map ? map.get(segment) : null;
            }
        }
        return keys.isEmpty() ? null : keys;
    }

    /** The {@code k:{...}} key, among those the managers list at this level, whose values all match the item. */
    @SuppressWarnings("unchecked")
    private static String itemKey(Map<String, Object> item, List<String> parent, List<Map<String, Object>> applied) {
        for (Map<String, Object> fields : applied) {
            Object node = fields;
            for (String key : parent) {
                node = node instanceof Map<?, ?> map ? map.get(key) : null;
            }
            if (!(node instanceof Map<?, ?> level)) {
                continue;
            }
            for (Object candidate : level.keySet()) {
                String key = String.valueOf(candidate);
                if (!key.startsWith("k:")) {
                    continue;
                }
                try {
                    Map<String, Object> values = JSON.readValue(key.substring(2), Map.class);
                    if (values.entrySet().stream().allMatch(e -> sameValue(item.get(e.getKey()), e.getValue()))) {
                        return key;
                    }
                } catch (Exception ignored) {
                    // not a JSON key: not ours to match
                }
            }
        }
        return null;
    }

    private static boolean sameValue(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        return Objects.equals(a, b);
    }

    private static boolean contains(Map<String, Object> fields, List<String> keys) {
        Object node = fields;
        for (String key : keys) {
            if (!(node instanceof Map<?, ?> map) || !map.containsKey(key)) {
                return false;
            }
            node = map.get(key);
        }
        return true;
    }
}
