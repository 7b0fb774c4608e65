package io.currents.runtime.health;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every fixture document states the status and message kstatus gives it. */
class KstatusTest {

    static Stream<Arguments> fixtures() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        for (String file : List.of("workloads.yaml", "others.yaml")) {
            try (InputStream in = KstatusTest.class.getResourceAsStream("/health/" + file)) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                for (Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(text)) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> object = (Map<String, Object>) doc;
                    @SuppressWarnings("unchecked")
                    Map<String, Object> metadata = (Map<String, Object>) object.get("metadata");
                    cases.add(Arguments.of(object.get("kind") + "/" + metadata.get("name"), object));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    @SuppressWarnings("unchecked")
    void statusMatchesTheFixtureExpectation(String name, Map<String, Object> object) {
        Map<String, String> annotations = (Map<String, String>) ((Map<String, Object>) object.get("metadata")).get("annotations");
        ObjectStatus status = Kstatus.compute(object);
        assertThat(status.status().toString()).as(name).isEqualTo(annotations.get("expect"));
        assertThat(status.message()).as(name).isEqualTo(annotations.get("message"));
    }
}
