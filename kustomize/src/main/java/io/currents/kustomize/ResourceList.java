package io.currents.kustomize;

import io.currents.kustomize.yaml.YamlWriter;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** The objects a build produced, in kustomize's output order; {@link #toYaml()} is kustomize's exact output. */
public final class ResourceList {
    private final List<Map<String, Object>> objects;
    private final List<BuildWarning> warnings;

    ResourceList(List<Map<String, Object>> objects, List<BuildWarning> warnings) {
        this.objects = Collections.unmodifiableList(objects);
        this.warnings = List.copyOf(warnings);
    }

    /**
     * The notices kustomize would have printed to stderr during this build (deprecated fields, once per
     * kustomization file loaded; vars never replaced), in kustomize's order.
     */
    public List<BuildWarning> warnings() {
        return warnings;
    }

    /** The objects as ordered maps of plain values (String, Long, BigInteger, Double, Boolean, List, Map, null). */
    public List<Map<String, Object>> objects() {
        return objects;
    }

    public int size() {
        return objects.size();
    }

    /** The YAML stream, documents separated by {@code ---}, byte for byte as {@code kustomize build} prints it. */
    public String toYaml() {
        StringBuilder sb = new StringBuilder(objects.size() * 512);
        boolean first = true;
        for (Map<String, Object> o : objects) {
            if (!first) {
                sb.append("---\n");
            }
            first = false;
            YamlWriter.writeDocument(o, sb);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return toYaml();
    }
}
