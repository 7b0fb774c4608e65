package io.currents.runtime.apply;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** RFC 6901 JSON pointers over plain maps and lists: read, remove and set one value. */
final class JsonPointers {

    /** What a pointer found: whether it resolved, and the value. */
    record Found(boolean present, Object value) {
    }

    private JsonPointers() {
    }

    /** The pointer's segments, unescaped ({@code ~1} is {@code /}, {@code ~0} is {@code ~}). */
    static List<String> segments(String pointer) {
        List<String> segments = new ArrayList<>();
        if (pointer == null || pointer.isEmpty()) {
            return segments;
        }
        for (String raw : pointer.substring(1).split("/", -1)) {
            segments.add(raw.replace("~1", "/").replace("~0", "~"));
        }
        return segments;
    }

    static Found get(Object root, String pointer) {
        Object current = root;
        for (String segment : segments(pointer)) {
            if (current instanceof Map<?, ?> map && map.containsKey(segment)) {
                current = map.get(segment);
            } else if (current instanceof List<?> list && index(segment, list.size()) >= 0) {
                current = list.get(index(segment, list.size()));
            } else {
                return new Found(false, null);
            }
        }
        return new Found(true, current);
    }

    /** Removes the value at the pointer; does nothing when it does not resolve. */
    static void remove(Object root, String pointer) {
        List<String> segments = segments(pointer);
        if (segments.isEmpty()) {
            return;
        }
        Object parent = get(root, parentOf(pointer)).value();
        String last = segments.getLast();
        if (parent instanceof Map<?, ?> map) {
            map.remove(last);
        } else if (parent instanceof List<?> list && index(last, list.size()) >= 0) {
            list.remove(index(last, list.size()));
        }
    }

    /**
     * Sets the value at the pointer: a map entry is added or replaced (missing maps on the way are created), a list
     * item replaced; a pointer through anything else is left alone.
     */
    @SuppressWarnings("unchecked")
    static void set(Object root, String pointer, Object value) {
        List<String> segments = segments(pointer);
        if (segments.isEmpty()) {
            return;
        }
        Object parent = root;
        for (String segment : segments.subList(0, segments.size() - 1)) {
            if (parent instanceof Map<?, ?> map) {
                Object child = map.get(segment);
                if (child == null) {
                    child = new java.util.LinkedHashMap<String, Object>();
                    ((Map<String, Object>) map).put(segment, child);
                }
                parent = child;
            } else if (parent instanceof List<?> list && index(segment, list.size()) >= 0) {
                parent = list.get(index(segment, list.size()));
            } else {
                return;
            }
        }
        String last = segments.getLast();
        if (parent instanceof Map<?, ?> map) {
            ((Map<String, Object>) map).put(last, value);
        } else if (parent instanceof List<?> list && index(last, list.size()) >= 0) {
            ((List<Object>) list).set(index(last, list.size()), value);
        }
    }

    private static String parentOf(String pointer) {
        return pointer.substring(0, pointer.lastIndexOf('/'));
    }

    private static int index(String segment, int size) {
        if (!segment.matches("0|[1-9][0-9]{0,8}")) {
            return -1;
        }
        int i = Integer.parseInt(segment);
        return i < size ? i : -1;
    }
}
