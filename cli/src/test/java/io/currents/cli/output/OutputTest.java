package io.currents.cli.output;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OutputTest {

    @Test
    void tablesAlignColumnsWithoutTrailingBlanks() {
        String table = new Table("name", "ready", "message")
                .row("podinfo", "True", "Applied revision: main@sha1:abc")
                .row("a-much-longer-name", "False", null)
                .render();
        assertThat(table).isEqualTo("""
                NAME                 READY   MESSAGE
                podinfo              True    Applied revision: main@sha1:abc
                a-much-longer-name   False
                """);
    }

    @Test
    void objectsRenderAsYamlDocumentsWithSortedKeysLikeKubectlOrAsAJsonList() {
        var a = new ConfigMapBuilder().withNewMetadata().withName("a").endMetadata().addToData("k", "v").build();
        var b = new ConfigMapBuilder().withNewMetadata().withName("b").endMetadata().build();
        assertThat(OutputFormat.yaml.renderAll(List.of(a, b))).isEqualTo("""
                ---
                apiVersion: v1
                data:
                  k: v
                kind: ConfigMap
                metadata:
                  name: a
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: b
                """);
        String json = OutputFormat.json.renderAll(List.of(a, b));
        assertThat(json).startsWith("{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n        {\n            \"apiVersion\": \"v1\",\n            \"data\": {\n")
                .contains("\"kind\": \"List\"").contains("\"name\": \"b\"").endsWith("}\n");
        assertThat(OutputFormat.json.renderAll(List.of(a))).doesNotContain("List");
    }

    @Test
    void progressPrintsEachLineOnceWhenNotOnATerminal() {
        StringWriter sw = new StringWriter();
        Progress progress = new Progress(new PrintWriter(sw), false);
        progress.action("installing");
        String result = progress.waitFor("waiting for things", () -> "done");
        progress.success("installed");
        assertThat(result).isEqualTo("done");
        assertThat(sw.toString()).isEqualTo("► installing\n◎ waiting for things\n✔ installed\n");
    }

    @Test
    void onATerminalAWaitAnimatesAndThenLeavesOneLine() {
        StringWriter sw = new StringWriter();
        Progress progress = new Progress(new PrintWriter(sw), true);
        progress.waitFor("waiting for things", () -> {
            try {
                Thread.sleep(350);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
        progress.success("done");
        assertThat(sw.toString()).startsWith("\r⠋ waiting for things\r⠙ waiting for things")
                .endsWith("\r\033[2K◎ waiting for things\n✔ done\n");
    }

    @Test
    void errorsBecomeOneSentenceWithAHint() {
        var unreachable = new KubernetesClientException("Operation failed", new ConnectException("Connection refused"));
        assertThat(Errors.describe(unreachable))
                .isEqualTo("cannot reach the Kubernetes API server (Connection refused); check --kubeconfig, --context and that the cluster is running");
        assertThat(Errors.describe(new CliException("do this", ExitCodes.TIMEOUT))).isEqualTo("do this");
        assertThat(Errors.describe(new IllegalStateException("first line\nsecond"))).isEqualTo("first line");
    }
}
