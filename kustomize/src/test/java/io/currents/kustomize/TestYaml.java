package io.currents.kustomize;

import io.currents.kustomize.yaml.YamlReader;
import io.currents.kustomize.yaml.YamlWriter;
import java.util.Map;

/** Small helpers for unit tests: YAML in, YAML out. */
final class TestYaml {
    private TestYaml() {
    }

    static Map<String, Object> map(String yaml) {
        return Nodes.asMap(YamlReader.read(yaml, false));
    }

    static String yaml(Object o) {
        return YamlWriter.toYaml(o);
    }
}
