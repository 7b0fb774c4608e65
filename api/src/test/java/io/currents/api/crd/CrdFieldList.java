package io.currents.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The schema facts of a CustomResourceDefinition as a sorted list of lines, one fact per line:
 * names, versions, printer columns, and for every field path its type, enum values, default,
 * required children, bounds, patterns and CEL rules. Descriptions are left out.
 *
 * <p>Lines are tab-separated: {@code fact <TAB> version <TAB> path <TAB> value}. Paths use
 * {@code .spec.a[].b} for array items and {@code .spec.a{}} for map values. Run {@link #main}
 * (through {@code hack/flux-crd-fields.sh}) to write the field lists of Flux's published CRDs into
 * the test fixture {@code api/src/test/resources/flux-crd-fields/}.
 */
public final class CrdFieldList {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    /** Schema keywords recorded verbatim, with the fact name they are recorded under. */
    private static final Map<String, String> SCALAR_KEYWORDS = new TreeMap<>(Map.ofEntries(
            Map.entry("format", "format"),
            Map.entry("pattern", "pattern"),
            Map.entry("minimum", "minimum"),
            Map.entry("maximum", "maximum"),
            Map.entry("exclusiveMinimum", "exclusiveMinimum"),
            Map.entry("exclusiveMaximum", "exclusiveMaximum"),
            Map.entry("minLength", "minLength"),
            Map.entry("maxLength", "maxLength"),
            Map.entry("minItems", "minItems"),
            Map.entry("maxItems", "maxItems"),
            Map.entry("minProperties", "minProperties"),
            Map.entry("maxProperties", "maxProperties"),
            Map.entry("nullable", "nullable"),
            Map.entry("x-kubernetes-preserve-unknown-fields", "preserveUnknownFields"),
            Map.entry("x-kubernetes-int-or-string", "intOrString"),
            Map.entry("x-kubernetes-embedded-resource", "embeddedResource"),
            Map.entry("x-kubernetes-list-type", "listType"),
            Map.entry("x-kubernetes-map-type", "mapType")));

    private CrdFieldList() {
    }

    /**
     * Writes one field list per CRD found in the given YAML files into the directory of the first
     * argument: {@code <output-dir> <source-description> <crd.yaml>...}.
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: CrdFieldList <output-dir> <source-description> <crd.yaml>...");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        Files.createDirectories(out);
        for (int i = 2; i < args.length; i++) {
            for (JsonNode crd : read(Path.of(args[i]))) {
                String name = crd.path("metadata").path("name").asText();
                Path file = out.resolve(name + ".txt");
                String header = "# Schema facts of Flux's CRD " + name + ", extracted by hack/flux-crd-fields.sh\n"
                        + "# from " + args[1] + " (" + Path.of(args[i]).getFileName() + "). Do not edit: regenerate.\n";
                Files.writeString(file, header + String.join("\n", of(crd)) + "\n");
                System.out.println("wrote " + file);
            }
        }
    }

    /** Every CustomResourceDefinition document in a YAML file. */
    public static List<JsonNode> read(Path file) {
        List<JsonNode> crds = new ArrayList<>();
        try {
            for (String document : Files.readString(file).split("(?m)^---\\s*$")) {
                JsonNode node = SERIALIZATION.unmarshal(document, JsonNode.class);
                if (node != null && "CustomResourceDefinition".equals(node.path("kind").asText())) {
                    crds.add(node);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return crds;
    }

    /** Reads a field list written by {@link #main}, without its comment lines. */
    public static TreeSet<String> readList(Path file) {
        try {
            TreeSet<String> lines = new TreeSet<>();
            for (String line : Files.readAllLines(file)) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    lines.add(line);
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sorted schema facts of one CRD. */
    public static TreeSet<String> of(JsonNode crd) {
        TreeSet<String> lines = new TreeSet<>();
        JsonNode spec = crd.path("spec");
        JsonNode names = spec.path("names");
        add(lines, "group", "", "", spec.path("group").asText());
        add(lines, "scope", "", "", spec.path("scope").asText());
        for (String name : List.of("kind", "listKind", "plural", "singular")) {
            if (names.has(name)) {
                add(lines, name, "", "", names.get(name).asText());
            }
        }
        names.path("shortNames").forEach(n -> add(lines, "shortName", "", "", n.asText()));
        names.path("categories").forEach(n -> add(lines, "category", "", "", n.asText()));
        crd.path("metadata").path("annotations").fields().forEachRemaining(a -> {
            if (!a.getKey().startsWith("controller-gen.")) {
                add(lines, "annotation", "", a.getKey(), a.getValue().asText());
            }
        });
        for (JsonNode version : spec.path("versions")) {
            String v = version.path("name").asText();
            add(lines, "version", v, "", (version.path("served").asBoolean() ? "served" : "not-served")
                    + (version.path("storage").asBoolean() ? ",storage" : "")
                    + (version.path("deprecated").asBoolean() ? ",deprecated" : ""));
            version.path("subresources").fieldNames().forEachRemaining(s -> add(lines, "subresource", v, "", s));
            int position = 0;
            for (JsonNode column : version.path("additionalPrinterColumns")) {
                add(lines, "column", v, column.path("name").asText(), column.path("type").asText() + " "
                        + column.path("jsonPath").asText() + " priority=" + column.path("priority").asInt(0)
                        + (column.has("format") ? " format=" + column.get("format").asText() : "")
                        + " position=" + position++);
            }
            JsonNode root = version.path("schema").path("openAPIV3Schema");
            for (String top : List.of("spec", "status")) {
                if (root.path("properties").has(top)) {
                    walk(lines, v, "." + top, root.path("properties").get(top));
                }
            }
            rules(lines, v, "", root);
        }
        return lines;
    }

    private static void walk(TreeSet<String> lines, String version, String path, JsonNode schema) {
        add(lines, "field", version, path, schema.path("type").asText(""));
        for (var keyword : SCALAR_KEYWORDS.entrySet()) {
            if (schema.has(keyword.getKey())) {
                add(lines, keyword.getValue(), version, path, scalar(schema.get(keyword.getKey())));
            }
        }
        schema.path("enum").forEach(e -> add(lines, "enum", version, path, scalar(e)));
        if (schema.has("default")) {
            add(lines, "default", version, path, canonical(schema.get("default")));
        }
        schema.path("required").forEach(r -> add(lines, "required", version, path, r.asText()));
        schema.path("x-kubernetes-list-map-keys").forEach(k -> add(lines, "listMapKey", version, path, k.asText()));
        rules(lines, version, path, schema);
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            walk(lines, version, path + "." + property.getKey(), property.getValue());
        }
        if (schema.has("items")) {
            walk(lines, version, path + "[]", schema.get("items"));
        }
        if (schema.path("additionalProperties").isObject()) {
            walk(lines, version, path + "{}", schema.get("additionalProperties"));
        }
        for (String combinator : List.of("oneOf", "anyOf", "allOf")) {
            int i = 0;
            for (JsonNode alternative : schema.path(combinator)) {
                add(lines, combinator, version, path + "#" + i++, canonical(alternative));
            }
        }
    }

    private static void rules(TreeSet<String> lines, String version, String path, JsonNode schema) {
        for (JsonNode rule : schema.path("x-kubernetes-validations")) {
            add(lines, "rule", version, path.isEmpty() ? "." : path, rule.path("rule").asText()
                    + (rule.has("message") ? " | " + rule.get("message").asText() : "")
                    + (rule.has("messageExpression") ? " | expr " + rule.get("messageExpression").asText() : "")
                    + (rule.has("reason") ? " | reason " + rule.get("reason").asText() : "")
                    + (rule.has("fieldPath") ? " | fieldPath " + rule.get("fieldPath").asText() : ""));
        }
    }

    private static String scalar(JsonNode value) {
        if (value.isNumber()) {
            // 1 and 1.0 mean the same bound; keep one spelling.
            double d = value.asDouble();
            return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
        }
        return value.isTextual() ? value.asText() : value.toString();
    }

    /** JSON text with object keys sorted, so equal values compare equal whatever their key order. */
    private static String canonical(JsonNode value) {
        if (value.isObject()) {
            TreeMap<String, JsonNode> sorted = new TreeMap<>();
            value.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
            StringBuilder out = new StringBuilder("{");
            sorted.forEach((k, v) -> out.append(out.length() > 1 ? "," : "").append('"').append(k).append("\":").append(canonical(v)));
            return out.append('}').toString();
        }
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(v -> items.add(canonical(v)));
            return "[" + String.join(",", items) + "]";
        }
        if (value.isNumber()) {
            return scalar(value);
        }
        return value.toString();
    }

    private static void add(TreeSet<String> lines, String fact, String version, String path, String value) {
        // Tabs and newlines inside values (multi-line CEL rules) would break the one-fact-per-line format.
        lines.add(fact + "\t" + version + "\t" + path + "\t" + value.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t"));
    }
}
