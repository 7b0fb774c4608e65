package io.currents.runtime.apply;

import io.currents.api.regex.GoRegex;
import io.currents.api.meta.Selector;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Drift ignore rules (a Kustomization's {@code spec.ignore}, a HelmRelease's {@code driftDetection.ignore}): JSON
 * pointers (RFC 6901, e.g. {@code /spec/replicas}) that drift detection leaves out, for every object or for the
 * objects a target selects — group, version, kind, name and namespace as anchored regular expressions, labels and
 * annotations by Kubernetes selector syntax ({@code a=b}, {@code a!=b}, {@code a in (x,y)}, {@code a notin (x)},
 * {@code a}, {@code !a}).
 */
public final class IgnoreRules {

    /** One rule: the pointers, and the objects they apply to (all when {@code target} is null). */
    public record Rule(List<String> paths, Selector target) {
    }

    private final List<Rule> rules;

    private IgnoreRules(List<Rule> rules) {
        this.rules = rules;
    }

    public static IgnoreRules none() {
        return new IgnoreRules(List.of());
    }

    public static IgnoreRules of(List<Rule> rules) {
        return rules == null ? none() : new IgnoreRules(List.copyOf(rules));
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** The pointers that apply to an object, in rule order. */
    public List<String> pathsFor(HasMetadata object) {
        List<String> paths = new ArrayList<>();
        for (Rule rule : rules) {
            if (rule.paths() != null && matches(rule.target(), object)) {
                rule.paths().stream().filter(p -> p != null && p.startsWith("/") && !paths.contains(p)).forEach(paths::add);
            }
        }
        return paths;
    }

    /** A deep copy of the object without the given pointers (those that do not resolve are skipped). */
    public static Map<String, Object> without(Map<String, Object> object, List<String> paths) {
        Map<String, Object> copy = deepCopy(object);
        for (String path : paths) {
            JsonPointers.remove(copy, path);
        }
        return copy;
    }

    /** Whether a target selects the object; a null target selects every object. */
    public static boolean matches(Selector target, HasMetadata object) {
        if (target == null) {
            return true;
        }
        String apiVersion = object.getApiVersion() == null ? "" : object.getApiVersion();
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        String version = apiVersion.contains("/") ? apiVersion.substring(apiVersion.indexOf('/') + 1) : apiVersion;
        var meta = object.getMetadata();
        return regex(target.getGroup(), group) && regex(target.getVersion(), version) && regex(target.getKind(), object.getKind())
                && regex(target.getName(), meta.getName()) && regex(target.getNamespace(), meta.getNamespace())
                && LabelSelector.matches(target.getLabelSelector(), meta.getLabels())
                && LabelSelector.matches(target.getAnnotationSelector(), meta.getAnnotations());
    }

    private static boolean regex(String pattern, String value) {
        if (pattern == null || pattern.isEmpty()) {
            return true;
        }
        return GoRegex.compileWhole(pattern).matches(value == null ? "" : value);
    }

    @SuppressWarnings("unchecked")
    static <T> T deepCopy(T value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), deepCopy(v)));
            return (T) copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(deepCopy(v)));
            return (T) copy;
        }
        return value;
    }

    /** Kubernetes label selector syntax, for labels and for annotations. */
    static final class LabelSelector {

        private LabelSelector() {
        }

        static boolean matches(String selector, Map<String, String> values) {
            if (selector == null || selector.isBlank()) {
                return true;
            }
            Map<String, String> map = values == null ? Map.of() : values;
            for (String term : terms(selector)) {
                if (!term(term.strip(), map)) {
                    return false;
                }
            }
            return true;
        }

        private static boolean term(String t, Map<String, String> map) {
            var set = Pattern.compile("^(\\S+)\\s+(in|notin)\\s*\\((.*)\\)$").matcher(t);
            if (set.matches()) {
                List<String> options = List.of(set.group(3).split(",")).stream().map(String::strip).toList();
                boolean in = map.containsKey(set.group(1)) && options.contains(map.get(set.group(1)));
                return set.group(2).equals("in") ? in : !in;
            }
            if (t.contains("!=")) {
                String[] kv = t.split("!=", 2);
                return !kv[1].strip().equals(map.get(kv[0].strip()));
            }
            if (t.contains("=")) {
                String[] kv = t.split("==?", 2);
                return kv[1].strip().equals(map.get(kv[0].strip()));
            }
            if (t.startsWith("!")) {
                return !map.containsKey(t.substring(1).strip());
            }
            return t.isEmpty() || map.containsKey(t);
        }

        /** Splits at commas outside parentheses. */
        private static List<String> terms(String selector) {
            List<String> terms = new ArrayList<>();
            int depth = 0;
            int start = 0;
            for (int i = 0; i < selector.length(); i++) {
                char c = selector.charAt(i);
                if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth--;
                } else if (c == ',' && depth == 0) {
                    terms.add(selector.substring(start, i));
                    start = i + 1;
                }
            }
            terms.add(selector.substring(start));
            return terms;
        }
    }
}
