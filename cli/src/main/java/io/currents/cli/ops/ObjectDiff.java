package io.currents.cli.ops;

import io.currents.kustomize.yaml.YamlWriter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A human-readable difference between two objects in the style flux diff prints (after dyff): one block per path,
 * {@code ± value change} with the old and new value, or entries added and removed. Lists whose items all have a
 * {@code name} are matched by name, so a path reads {@code spec.ports.http.port}. Secret values are never shown: not
 * a changed value, not a whole data map added or removed, not kubectl's last-applied copy of the Secret.
 */
public final class ObjectDiff {

    private static final String[] COUNTS = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
            "eleven", "twelve"};

    private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    private final boolean secret;
    private final List<String> blocks = new ArrayList<>();

    private ObjectDiff(boolean secret) {
        this.secret = secret;
    }

    /** The blocks describing how {@code after} differs from {@code before}; empty when they are equal. */
    public static List<String> between(Map<String, Object> before, Map<String, Object> after, boolean secret) {
        ObjectDiff diff = new ObjectDiff(secret);
        diff.compare("", before, after);
        return diff.blocks;
    }

    private void compare(String path, Object before, Object after) {
        if (Objects.equals(before, after)) {
            return;
        }
        if (before instanceof Map<?, ?> b && after instanceof Map<?, ?> a) {
            compareMaps(path, FluxObjects.map(b), FluxObjects.map(a));
        } else if (before instanceof List<?> b && after instanceof List<?> a) {
            compareLists(path, b, a);
        } else {
            valueChange(path, before, after);
        }
    }

    private void compareMaps(String path, Map<String, Object> before, Map<String, Object> after) {
        Map<String, Object> added = new LinkedHashMap<>();
        Map<String, Object> removed = new LinkedHashMap<>();
        // sorted, as kustomize and flux print keys, so the report does not depend on map order
        Set<String> keys = new java.util.TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        List<String> common = new ArrayList<>();
        for (String key : keys) {
            if (!before.containsKey(key)) {
                added.put(key, after.get(key));
            } else if (!after.containsKey(key)) {
                removed.put(key, before.get(key));
            } else {
                common.add(key);
            }
        }
        if (!removed.isEmpty()) {
            block(path, "- " + count(removed.size()) + " map " + (removed.size() == 1 ? "entry" : "entries") + " removed:",
                    yaml(masked(path, removed)));
        }
        if (!added.isEmpty()) {
            block(path, "+ " + count(added.size()) + " map " + (added.size() == 1 ? "entry" : "entries") + " added:",
                    yaml(masked(path, added)));
        }
        for (String key : common) {
            compare(path.isEmpty() ? key : path + "." + key, before.get(key), after.get(key));
        }
    }

    private void compareLists(String path, List<?> before, List<?> after) {
        if (named(before) && named(after)) {
            Map<String, Object> b = byName(before);
            Map<String, Object> a = byName(after);
            List<Object> removed = new ArrayList<>();
            List<Object> added = new ArrayList<>();
            b.forEach((n, v) -> {
                if (!a.containsKey(n)) {
                    removed.add(v);
                }
            });
            a.forEach((n, v) -> {
                if (!b.containsKey(n)) {
                    added.add(v);
                }
            });
            if (!removed.isEmpty()) {
                block(path, "- " + count(removed.size()) + " list " + (removed.size() == 1 ? "entry" : "entries") + " removed:", yaml(removed));
            }
            if (!added.isEmpty()) {
                block(path, "+ " + count(added.size()) + " list " + (added.size() == 1 ? "entry" : "entries") + " added:", yaml(added));
            }
            b.forEach((n, v) -> {
                if (a.containsKey(n)) {
                    compare(path + "." + n, v, a.get(n));
                }
            });
            return;
        }
        if (before.size() == after.size()) {
            for (int i = 0; i < before.size(); i++) {
                compare(path + "." + i, before.get(i), after.get(i));
            }
            return;
        }
        valueChange(path, before, after);
    }

    private void valueChange(String path, Object before, Object after) {
        if (isSecretPath(path)) {
            block(path, "± value change", "- *** (before)\n+ *** (after)\n");
            return;
        }
        block(path, "± value change", prefixed("- ", before) + prefixed("+ ", after));
    }

    private void block(String path, String header, String body) {
        blocks.add((path.isEmpty() ? "(root level)" : path) + "\n" + header + "\n" + body);
    }

    /**
     * Paths whose values are a Secret's: its data and stringData, and kubectl's last-applied annotation, which holds a
     * copy of the whole object as it was applied.
     */
    private boolean isSecretPath(String path) {
        return secret && (path.equals("data") || path.startsWith("data.") || path.equals("stringData") || path.startsWith("stringData.")
                || path.equals("metadata.annotations." + LAST_APPLIED));
    }

    /** The map entries under {@code path} with every secret value (at any depth) replaced by {@code ***}. */
    private Map<String, Object> masked(String path, Map<String, Object> entries) {
        Map<String, Object> out = new LinkedHashMap<>();
        entries.forEach((key, value) -> out.put(key, masked(path.isEmpty() ? key : path + "." + key, value)));
        return out;
    }

    private Object masked(String path, Object value) {
        if (isSecretPath(path)) {
            if (value instanceof Map<?, ?> m) {
                Map<String, Object> keys = new LinkedHashMap<>();
                FluxObjects.map(m).keySet().forEach(k -> keys.put(k, "***"));
                return keys;
            }
            return "***";
        }
        return value instanceof Map<?, ?> m ? masked(path, FluxObjects.map(m)) : value;
    }

    private static String prefixed(String prefix, Object value) {
        if (value == null) {
            return prefix + "<none>\n";
        }
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            StringBuilder sb = new StringBuilder(prefix.trim()).append('\n');
            for (String line : YamlWriter.toYaml(value).split("\n")) {
                sb.append("  ").append(line).append('\n');
            }
            return sb.toString();
        }
        return prefix + value + "\n";
    }

    private static String yaml(Object value) {
        StringBuilder sb = new StringBuilder();
        for (String line : YamlWriter.toYaml(value).split("\n")) {
            sb.append("  ").append(line).append('\n');
        }
        return sb.toString();
    }

    private static boolean named(List<?> list) {
        Set<Object> names = new LinkedHashSet<>();
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> m) || !(m.get("name") instanceof String n) || !names.add(n)) {
                return false;
            }
        }
        return !list.isEmpty();
    }

    private static Map<String, Object> byName(List<?> list) {
        Map<String, Object> result = new LinkedHashMap<>();
        for (Object item : list) {
            result.put(String.valueOf(((Map<?, ?>) item).get("name")), item);
        }
        return result;
    }

    private static String count(int n) {
        return n < COUNTS.length ? COUNTS[n] : Integer.toString(n);
    }
}
