package io.currents.cli.output;

import io.currents.kustomize.yaml.YamlWriter;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code -o/--output} formats for objects: YAML documents or JSON, as kubectl prints them. */
public enum OutputFormat {
    yaml,
    json;

    /**
     * Renders one object (a fabric8 model object or a map). YAML starts with {@code ---} so outputs can be
     * concatenated; JSON is indented and ends with a newline.
     */
    public String render(Object object) {
        return switch (this) {
            case yaml -> {
                // kustomize's writer: plain scalars where YAML allows them, as kubectl prints
                StringBuilder out = new StringBuilder("---\n");
                YamlWriter.writeDocument(Serialization.jsonMapper().convertValue(object, Map.class), out);
                yield out.toString();
            }
            case json -> pretty(object);
        };
    }

    /**
     * Renders several objects: YAML as a stream of documents; JSON as a kubectl-style {@code List}
     * (a single object is printed on its own).
     */
    public String renderAll(Collection<?> objects) {
        if (this == yaml) {
            StringBuilder out = new StringBuilder();
            objects.forEach(o -> out.append(render(o)));
            return out.toString();
        }
        if (objects.size() == 1) {
            return render(objects.iterator().next());
        }
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("apiVersion", "v1");
        list.put("kind", "List");
        list.put("items", objects.stream().map(o -> o instanceof Map<?, ?> ? o : Serialization.jsonMapper().convertValue(o, Map.class)).toList());
        return pretty(list);
    }

    /** kubectl's JSON layout: four-space indent, {@code "key": value}. */
    private static final DefaultPrettyPrinter KUBECTL_JSON = new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withObjectIndenter(new DefaultIndenter("    ", "\n"))
            .withArrayIndenter(new DefaultIndenter("    ", "\n"));

    private static String pretty(Object object) {
        try {
            // as a map with sorted keys, like kubectl prints objects (and like the YAML above)
            Object tree = object instanceof Map<?, ?> ? object : Serialization.jsonMapper().convertValue(object, Map.class);
            return Serialization.jsonMapper().writer(KUBECTL_JSON)
                    .with(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                    .writeValueAsString(tree) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("cannot render " + object.getClass().getSimpleName() + " as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
