package io.currents.helm.controller;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.currents.api.helm.v2.IgnoreRule;
import io.currents.api.meta.Selector;
import io.currents.api.regex.GoRegex;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.util.List;
import java.util.Map;

/**
 * {@code spec.driftDetection.ignore}: JSON pointers (e.g. {@code /spec/replicas}) left out of the drift comparison
 * and correction, for every object or for the objects a target selector matches (group, version, kind, name and
 * namespace as anchored regular expressions, label and annotation selectors as equality-based selectors).
 */
final class DriftIgnoreRules {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<IgnoreRule> rules;

    DriftIgnoreRules(List<IgnoreRule> rules) {
        this.rules = rules == null ? List.of() : rules;
    }

    /** The object without the ignored paths that apply to it (the same object when none do). */
    GenericKubernetesResource strip(GenericKubernetesResource object) {
        ObjectNode tree = null;
        for (IgnoreRule rule : rules) {
            if (rule.getPaths() == null || !matches(rule.getTarget(), object)) {
                continue;
            }
            if (tree == null) {
                tree = JSON.valueToTree(object);
            }
            for (String path : rule.getPaths()) {
                remove(tree, path);
            }
        }
        return tree == null ? object : JSON.convertValue(tree, GenericKubernetesResource.class);
    }

    private static void remove(ObjectNode root, String path) {
        if (path == null || path.isEmpty() || !path.startsWith("/")) {
            return;
        }
        JsonPointer pointer = JsonPointer.compile(path);
        JsonNode parent = root.at(pointer.head());
        String last = pointer.last().getMatchingProperty();
        if (parent instanceof ObjectNode o) {
            o.remove(last);
        } else if (parent instanceof ArrayNode a && last.matches("\\d+") && Integer.parseInt(last) < a.size()) {
            a.remove(Integer.parseInt(last));
        }
    }

    static boolean matches(Selector target, GenericKubernetesResource object) {
        if (target == null) {
            return true;
        }
        String apiVersion = object.getApiVersion() == null ? "" : object.getApiVersion();
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        String version = apiVersion.contains("/") ? apiVersion.substring(apiVersion.indexOf('/') + 1) : apiVersion;
        var meta = object.getMetadata();
        return regex(target.getGroup(), group) && regex(target.getVersion(), version) && regex(target.getKind(), object.getKind())
                && regex(target.getName(), meta.getName()) && regex(target.getNamespace(), meta.getNamespace())
                && selector(target.getLabelSelector(), meta.getLabels()) && selector(target.getAnnotationSelector(), meta.getAnnotations());
    }

    private static boolean regex(String pattern, String value) {
        if (pattern == null || pattern.isEmpty()) {
            return true;
        }
        return GoRegex.compileWhole(pattern).matches(value == null ? "" : value);
    }

    /** Equality-based selector: {@code k=v}, {@code k==v}, {@code k!=v}, {@code k}, {@code !k}, comma-separated. */
    private static boolean selector(String selector, Map<String, String> values) {
        if (selector == null || selector.isBlank()) {
            return true;
        }
        Map<String, String> map = values == null ? Map.of() : values;
        for (String term : selector.split(",")) {
            String t = term.strip();
            if (t.contains("!=")) {
                String[] kv = t.split("!=", 2);
                if (kv[1].strip().equals(map.get(kv[0].strip()))) {
                    return false;
                }
            } else if (t.contains("=")) {
                String[] kv = t.split("==?", 2);
                if (!kv[1].strip().equals(map.get(kv[0].strip()))) {
                    return false;
                }
            } else if (t.startsWith("!")) {
                if (map.containsKey(t.substring(1).strip())) {
                    return false;
                }
            } else if (!t.isEmpty() && !map.containsKey(t)) {
                return false;
            }
        }
        return true;
    }
}
