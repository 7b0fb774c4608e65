package io.currents.image.update;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Commit message templates render as Go's text/template renders Flux's documented examples. */
class CommitTemplateTest {

    private static Map<String, Object> data() {
        ObjectIdentifier deploy = new ObjectIdentifier("apps/v1", "Deployment", "podinfo", "apps");
        ObjectIdentifier cron = new ObjectIdentifier("batch/v1", "CronJob", "backup", "apps");
        Map<ObjectIdentifier, List<Change>> deployChanges = new TreeMap<>(Map.of(deploy,
                List.of(new Change("apps:podinfo", "podinfo:1.0.0", "podinfo:1.1.0"))));
        Map<ObjectIdentifier, List<Change>> cronChanges = new TreeMap<>(Map.of(cron,
                List.of(new Change("apps:backup:tag", "2.0", "2.1"))));
        Map<String, Object> files = new TreeMap<>(Map.of("deploy/podinfo.yaml", deployChanges, "jobs/backup.yaml", cronChanges));
        Map<ObjectIdentifier, List<Change>> objects = new TreeMap<>();
        objects.putAll(deployChanges);
        objects.putAll(cronChanges);
        Map<String, Object> changed = new LinkedHashMap<>();
        changed.put("FileChanges", files);
        changed.put("Objects", objects);
        changed.put("Changes", List.of(deployChanges.get(deploy).get(0), cronChanges.get(cron).get(0)));
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("AutomationObject", new TemplateFields() {
            @Override
            public Object field(String name) {
                return name.equals("Name") ? "auto" : "apps";
            }

            @Override
            public String toString() {
                return "apps/auto";
            }
        });
        d.put("Changed", changed);
        d.put("Values", Map.of("env", "prod"));
        return d;
    }

    /** As in Go, "{{ end -}}" eats the blank line after it, so "Objects:" follows the file list directly. */
    @Test
    void fluxsDocumentedExampleRendersWithTrimMarkersAndRanges() {
        String template = """
                Automated image update

                Automation name: {{ .AutomationObject }}

                Files:
                {{ range $filename, $_ := .Changed.FileChanges -}}
                - {{ $filename }}
                {{ end -}}

                Objects:
                {{ range $resource, $changes := .Changed.Objects -}}
                - {{ $resource.Kind }} {{ $resource.Name }}
                  Changes:
                {{- range $_, $change := $changes }}
                    - {{ $change.OldValue }} -> {{ $change.NewValue }}
                {{ end -}}
                {{ end -}}
                """;
        assertThat(CommitTemplate.parse(template).render(data())).isEqualTo("""
                Automated image update

                Automation name: apps/auto

                Files:
                - deploy/podinfo.yaml
                - jobs/backup.yaml
                Objects:
                - Deployment podinfo
                  Changes:
                    - podinfo:1.0.0 -> podinfo:1.1.0
                - CronJob backup
                  Changes:
                    - 2.0 -> 2.1
                """);
    }

    @Test
    void valuesConditionalsAndFunctions() {
        String template = "[{{ .Values.env }}] {{ if eq .Values.env \"prod\" }}careful{{ else }}relax{{ end }}: "
                + "{{ len .Changed.Changes }} changes{{ range .Changed.Changes }}, {{ .NewValue }}{{ end }} {{ index .Values \"env\" }}"
                + "{{/* a comment */}}{{ with .Values.missing }}never{{ else }}!{{ end }}";
        assertThat(CommitTemplate.parse(template).render(data())).isEqualTo("[prod] careful: 2 changes, podinfo:1.1.0, 2.1 prod!");
        assertThat(CommitTemplate.parse("{{ printf \"%s has %d\" .AutomationObject.Name 2 }}").render(data())).isEqualTo("auto has 2");
    }

    @Test
    void unsupportedConstructsAreRejectedWithWhatIsSupported() {
        assertThatThrownBy(() -> CommitTemplate.parse("{{ .Values.env | upper }}")).hasMessageContaining("pipes ('|') are not supported");
        assertThatThrownBy(() -> CommitTemplate.parse("{{ upper .Values.env }}")).hasMessageContaining("function 'upper' is not supported")
                .hasMessageContaining("supported:");
        assertThatThrownBy(() -> CommitTemplate.parse("{{ range .Changed.Changes }}x")).hasMessageContaining("missing {{end}}");
        assertThatThrownBy(() -> CommitTemplate.parse("{{ end }}")).hasMessageContaining("without a matching");
        assertThatThrownBy(() -> CommitTemplate.parse("{{ .Changed.Nope.X }}").render(data())).hasMessageContaining("can't evaluate field X");
        assertThatThrownBy(() -> CommitTemplate.parse("{{ range .Changed.Changes }}{{ .Old }}{{ end }}").render(data()))
                .hasMessageContaining("a change has no field 'Old'");
    }
}
