package io.currents.cli.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.currents.kustomize.KustomizeException;
import io.currents.kustomize.Kustomizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --helm-command}: a helm program run with the arguments and environment kustomize v5.5 gives it. No helm
 * binary exists on these machines, so the program is either the corpus' helm shim (helm's command line in front of
 * helm-java) or a script that reports what it was given.
 */
class HelmCommandChartInflatorTest {

    private static final Path CORPUS = Path.of("../kustomize/src/test/resources/corpus").toAbsolutePath().normalize();

    @Test
    void aHelmProgramRendersTheCorpusCasesAsKubectlKustomizeDid(@TempDir Path tmp) throws IOException {
        Path shim = script(tmp.resolve("helm"), "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
                + "' --enable-native-access=ALL-UNNAMED -XX:TieredStopAtLevel=1 -cp '" + System.getProperty("java.class.path")
                + "' " + HelmShim.class.getName() + " \"$@\"\n");
        for (String c : List.of("helm-kube-version", "helm-include-crds-skip-hooks-and-tests")) {
            String out = kustomizer(shim, tmp.resolve("home-" + c), List.of()).build(CORPUS.resolve(c)).toYaml();
            assertThat(out).as(c).isEqualTo(Files.readString(CORPUS.resolve(c).resolve("expected.yaml"), StandardCharsets.UTF_8));
        }
    }

    @Test
    void apiVersionsAndTheOtherFieldsBecomeKustomizesHelmArguments(@TempDir Path tmp) throws IOException {
        Path helm = script(tmp.resolve("helm"), """
                #!/bin/sh
                case "$1" in
                version) echo 'v3.16.2+g13654a5' ;;
                template) printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: args\\ndata:\\n  args: "%s"\\n  home: "%s"\\n' "$*" "$HELM_CONFIG_HOME" ;;
                *) echo "unexpected $*" >&2; exit 2 ;;
                esac
                """);
        Path dir = app(tmp, """
                helmCharts:
                - name: web
                  releaseName: shop
                  namespace: store
                  apiVersions:
                  - monitoring.coreos.com/v1
                  - policy/v1beta1/PodDisruptionBudget
                  kubeVersion: "1.29.4"
                  includeCRDs: true
                  skipTests: true
                  skipHooks: true
                """);
        Path home = tmp.resolve("helm-home");
        Map<String, Object> cm = kustomizer(helm, home, List.of()).build(dir).objects().get(0);
        @SuppressWarnings("unchecked")
        Map<String, String> data = (Map<String, String>) cm.get("data");
        assertThat(data.get("args"))
                .startsWith("template shop " + dir.resolve("charts/web") + " --namespace store -f ")
                .endsWith("web-kustomize-values.yaml --api-versions monitoring.coreos.com/v1 --api-versions "
                        + "policy/v1beta1/PodDisruptionBudget --kube-version 1.29.4 --include-crds --skip-tests --no-hooks");
        assertThat(data.get("home")).isEqualTo(home.toString());
    }

    @Test
    void helmGlobalsConfigHomeIsHelmsHome(@TempDir Path tmp) throws IOException {
        Path helm = script(tmp.resolve("helm"), """
                #!/bin/sh
                case "$1" in
                version) echo 'v3.16.2' ;;
                template) printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: env\\ndata:\\n  config: "%s"\\n  cache: "%s"\\n' "$HELM_CONFIG_HOME" "$HELM_CACHE_HOME" ;;
                esac
                """);
        Path home = tmp.resolve("my-helm");
        Path dir = app(tmp, "helmGlobals:\n  configHome: " + home + "\nhelmCharts:\n- name: web\n  releaseName: shop\n");
        Map<String, Object> cm = kustomizer(helm, tmp.resolve("default-home"), List.of()).build(dir).objects().get(0);
        assertThat(cm.get("data")).isEqualTo(Map.of("config", home.toString(), "cache", home + "/.cache"));
    }

    @Test
    void aFailingHelmProgramFailsTheBuildWithWhatItPrinted(@TempDir Path tmp) throws IOException {
        Path helm = script(tmp.resolve("helm"), """
                #!/bin/sh
                if [ "$1" = version ]; then echo 'v3.16.2'; exit 0; fi
                echo 'Error: chart requires kubeVersion: >=1.30.0' >&2
                exit 1
                """);
        Path dir = app(tmp, "helmCharts:\n- name: web\n  releaseName: shop\n");
        assertThatThrownBy(() -> kustomizer(helm, tmp.resolve("home"), List.of()).build(dir))
                .isInstanceOf(KustomizeException.class)
                .hasMessageContaining("Error: chart requires kubeVersion: >=1.30.0")
                .hasMessageContaining("unable to run: '" + helm + " template shop ")
                .hasMessageContaining("exit status 1");
    }

    @Test
    void helmTwoIsRefusedAsKustomizeRefusesIt(@TempDir Path tmp) throws IOException {
        Path helm = script(tmp.resolve("helm"), "#!/bin/sh\necho 'Client: v2.17.0+ga690bad'\n");
        Path dir = app(tmp, "helmCharts:\n- name: web\n");
        assertThatThrownBy(() -> kustomizer(helm, tmp.resolve("home"), List.of()).build(dir))
                .isInstanceOf(KustomizeException.class).hasMessageContaining("this plugin requires helm V3 but got v2.17.0");
    }

    private static Kustomizer kustomizer(Path helm, Path home, List<String> apiVersions) {
        return Kustomizer.builder()
                .helm(new Kustomizer.Helm(new HelmCommandChartInflator(helm.toString(), home, Duration.ofSeconds(60), 1L << 20),
                        null, apiVersions, false))
                .build();
    }

    /** A kustomization directory with the given kustomization.yaml and a chart {@code web} (only its values file). */
    private static Path app(Path tmp, String kustomization) throws IOException {
        Path dir = tmp.resolve("app");
        Files.createDirectories(dir.resolve("charts/web"));
        Files.writeString(dir.resolve("charts/web/values.yaml"), "replicas: 1\n");
        Files.writeString(dir.resolve("kustomization.yaml"), kustomization);
        return dir;
    }

    private static Path script(Path path, String text) throws IOException {
        Files.writeString(path, text);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
        return path;
    }
}
