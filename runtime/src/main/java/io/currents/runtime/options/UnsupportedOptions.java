package io.currents.runtime.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The fields of a kind that its CRD accepts but this controller does not act on, and the test that finds them
 * in an object: every controller declares its list, and the reconcile names the ones an object sets in a Warning
 * event {@code UnsupportedOptions} (once per generation) and in a line of its Ready message, so that a Flux user
 * learns of it instead of being surprised. Paths are under the object (e.g. {@code spec.install.disableHooks};
 * {@code []} descends into each item of a list).
 */
public final class UnsupportedOptions {

    /** The reason of the Warning event (our own; Flux has none, as it acts on every field). */
    public static final String REASON = "UnsupportedOptions";

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Option(String path, String label, Predicate<JsonNode> isSet) {
    }

    private final List<Option> options;

    private UnsupportedOptions(List<Option> options) {
        this.options = options;
    }

    /** A list with no options: the controller acts on every field. */
    public static UnsupportedOptions none() {
        return new UnsupportedOptions(List.of());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Declares the options of one kind. */
    public static final class Builder {
        private final List<Option> options = new ArrayList<>();

        /** A field that matters whenever it has a value (an empty list or map counts as unset). */
        public Builder whenSet(String path) {
            options.add(new Option(path, path, UnsupportedOptions::hasValue));
            return this;
        }

        /** A switch that only matters when true. */
        public Builder whenTrue(String path) {
            options.add(new Option(path, path, JsonNode::asBoolean));
            return this;
        }

        /** A field whose other values work but this one does not; named {@code path=value}. */
        public Builder whenEquals(String path, String value) {
            options.add(new Option(path, path + "=" + value, node -> node.isValueNode() && value.equals(node.asText())));
            return this;
        }

        /** A field whose listed values work and any other does not; named {@code path=<the value set>}. */
        public Builder whenNotIn(String path, Collection<String> supported) {
            options.add(new Option(path, path + "=", node -> node.isValueNode() && !node.isNull() && !supported.contains(node.asText())));
            return this;
        }

        public UnsupportedOptions build() {
            return new UnsupportedOptions(List.copyOf(options));
        }
    }

    /**
     * The options the object sets, in declaration order and without repeats, e.g.
     * {@code [spec.install.disableHooks, spec.type=googlechat]}. {@code object} is an API object (a typed kind or a map).
     */
    public List<String> setIn(Object object) {
        JsonNode root = JSON.valueToTree(object);
        List<String> found = new ArrayList<>();
        for (Option option : options) {
            for (JsonNode node : at(root, option.path())) {
                if (!node.isMissingNode() && !node.isNull() && option.isSet().test(node)) {
                    String label = option.label().endsWith("=") ? option.label() + node.asText() : option.label();
                    if (!found.contains(label)) {
                        found.add(label);
                    }
                }
            }
        }
        return found;
    }

    /** One sentence naming the options, for the event and the Ready message; null when there are none. */
    public static String message(List<String> found, String controller) {
        if (found == null || found.isEmpty()) {
            return null;
        }
        return String.join(", ", found) + (found.size() == 1 ? " is" : " are") + " set but not supported by this "
                + controller + " (see docs/" + controller + ".md)";
    }

    /** The nodes at a dotted path, descending into every item at {@code []}. */
    private static List<JsonNode> at(JsonNode root, String path) {
        List<JsonNode> current = List.of(root);
        for (String part : path.split("\\.")) {
            boolean each = part.endsWith("[]");
            String name = each ? part.substring(0, part.length() - 2) : part;
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode node : current) {
                JsonNode child = node.path(name);
                if (each && child.isArray()) {
                    child.forEach(next::add);
                } else if (!each) {
                    next.add(child);
                }
            }
            current = next;
        }
        return current;
    }

    private static boolean hasValue(JsonNode node) {
        return !(node.isContainerNode() && node.isEmpty()) && !(node.isTextual() && node.asText().isEmpty());
    }

    @Override
    public String toString() {
        return options.stream().map(Option::label).filter(Objects::nonNull).toList().toString();
    }
}
