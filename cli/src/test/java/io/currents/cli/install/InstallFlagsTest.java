package io.currents.cli.install;

import io.currents.cli.CommandResult;
import io.currents.cli.output.ExitCodes;
import io.currents.testkit.ControlPlane;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.currents.cli.install.InstallCommandTest.assertMatchesGolden;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * flux's install flags that {@code install} and {@code bootstrap} share: {@code --version}, {@code --toleration-keys},
 * {@code --cluster-domain}, {@code --watch-all-namespaces}, {@code --log-level}, {@code --image-pull-secret},
 * {@code --registry-creds}, {@code --force} and {@code --manifests}.
 */
@Tag("cluster")
class InstallFlagsTest {

    @Test
    void podSettingsChangeEveryControllerDeploymentAsFluxDoes() throws Exception {
        CommandResult r = CommandResult.run("install", "--export", "--components-extra", "source-watcher", "--shards", "1",
                "--toleration-keys", "node.example/dedicated,gpu", "--cluster-domain", "k8s.example", "--watch-all-namespaces=false",
                "--log-level", "debug", "--image-pull-secret", "regcred");
        assertThat(r.code()).as(r.toString()).isZero();
        assertMatchesGolden(r.out(), "install-export-pod-settings.yaml");

        List<Deployment> deployments = deployments(r.out());
        assertThat(deployments).extracting(d -> d.getMetadata().getName()).containsExactlyInAnyOrder("source-controller",
                "kustomize-controller", "helm-controller", "notification-controller", "source-watcher", "source-controller-shard1",
                "kustomize-controller-shard1", "helm-controller-shard1");
        for (Deployment d : deployments) {
            var pod = d.getSpec().getTemplate().getSpec();
            assertThat(pod.getTolerations()).as(d.getMetadata().getName()).extracting(Toleration::getKey, Toleration::getOperator)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("node.example/dedicated", "Exists"),
                            org.assertj.core.groups.Tuple.tuple("gpu", "Exists"));
            assertThat(pod.getImagePullSecrets()).extracting(LocalObjectReference::getName).containsExactly("regcred");
            Map<String, String> env = env(d);
            assertThat(env).as(d.getMetadata().getName()).containsEntry("LOG_LEVEL", "DEBUG")
                    .containsEntry("QUARKUS_OPERATOR_SDK_NAMESPACES", "$(RUNTIME_NAMESPACE)");
            if (!d.getMetadata().getName().equals("notification-controller")) {
                assertThat(env).containsEntry("EVENTS_ADDR", "http://notification-controller.currents-system.svc.k8s.example./");
            }
        }
        Map<String, String> storage = deployments.stream().filter(d -> env(d).containsKey("STORAGE_ADV_ADDR"))
                .collect(Collectors.toMap(d -> d.getMetadata().getName(), d -> env(d).get("STORAGE_ADV_ADDR")));
        assertThat(storage).containsExactlyInAnyOrderEntriesOf(Map.of(
                "source-controller", "source-controller.$(RUNTIME_NAMESPACE).svc.k8s.example.",
                "source-controller-shard1", "source-controller-shard1.$(RUNTIME_NAMESPACE).svc.k8s.example.",
                "source-watcher", "source-watcher.$(RUNTIME_NAMESPACE).svc.k8s.example."));

        CommandResult defaults = CommandResult.run("install", "--export");
        assertThat(defaults.out()).doesNotContain("tolerations", "imagePullSecrets", "LOG_LEVEL", "QUARKUS_OPERATOR_SDK_NAMESPACES");
    }

    @Test
    void versionAcceptsOnlyTheEmbeddedOneOrLatest() {
        String embedded = CommandResult.run("install", "--export").out();
        assertThat(CommandResult.run("install", "--export", "--version", "latest").out()).isEqualTo(embedded);
        assertThat(CommandResult.run("install", "--export", "-v", Version.tag()).out()).isEqualTo(embedded);

        CommandResult other = CommandResult.run("install", "--export", "--version", "v9.9.9");
        assertThat(other.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(other.out()).isEmpty();
        assertThat(other.err()).isEqualTo("✗ targeted version 'v9.9.9' is not the version this CLI embeds (" + Version.tag()
                + "); run the currents CLI of v9.9.9 to install it\n");
        CommandResult noPrefix = CommandResult.run("install", "--export", "--version", Version.number());
        assertThat(noPrefix.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(noPrefix.err()).isEqualTo("✗ targeted version '" + Version.number() + "' must be prefixed with 'v'\n");
    }

    @Test
    void badValuesAreRefusedWithFluxsMessages() {
        assertRefused("✗ unsupported log level 'trace', must be one of: debug, info, error\n", "--log-level", "trace");
        assertRefused("✗ --registry-creds requires --image-pull-secret to be set\n", "--registry-creds", "u:p");
        assertRefused("✗ invalid --registry-creds format, expected 'user:password'\n", "--registry-creds", "u:p:x",
                "--image-pull-secret", "regcred");
        assertRefused("✗ --cluster-domain 'Bad Domain' is not a DNS domain\n", "--cluster-domain", "Bad Domain");
        assertRefused("✗ --manifests /nonexistent-currents has no bases/ directory; pass a copy of the manifests/ tree of this version "
                + "(bases/, crds/, policies/)\n", "--manifests", "/nonexistent-currents");
    }

    private static void assertRefused(String message, String... flags) {
        CommandResult r = CommandResult.run(Stream.concat(Stream.of("install", "--export"), Stream.of(flags)).toArray(String[]::new));
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo(message);
    }

    @Test
    void manifestsFromALocalDirectoryReplaceTheEmbeddedOnes(@TempDir Path tmp) throws Exception {
        Path copy = tmp.resolve("manifests");
        try (Stream<Path> files = Files.walk(ControlPlane.projectRoot().resolve("manifests"))) {
            for (Path f : files.toList()) {
                Path dest = copy.resolve(ControlPlane.projectRoot().resolve("manifests").relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(f, dest);
                }
            }
        }
        Path deployment = copy.resolve("bases/kustomize-controller/deployment.yaml");
        Files.writeString(deployment, Files.readString(deployment).replace("memory: 512Mi", "memory: 777Mi"));

        CommandResult r = CommandResult.run("install", "--export", "--manifests", copy.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        List<String> ours = List.of(r.out().split("\n"));
        List<String> embedded = List.of(CommandResult.run("install", "--export").out().split("\n"));
        assertThat(ours).hasSameSizeAs(embedded);
        List<String> changed = new java.util.ArrayList<>();
        for (int i = 0; i < ours.size(); i++) {
            if (!ours.get(i).equals(embedded.get(i))) {
                changed.add(embedded.get(i).trim() + " -> " + ours.get(i).trim());
            }
        }
        assertThat(changed).containsExactly("memory: 512Mi -> memory: 777Mi");
        assertThat(deployments(r.out())).filteredOn(d -> d.getMetadata().getName().equals("kustomize-controller")).singleElement()
                .extracting(d -> d.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits().get("memory").toString())
                .isEqualTo("777Mi");
    }

    @Test
    void installOnTheClusterCreatesTheImagePullSecretAndAppliesThePodSettings() {
        String ns = "install-flags";
        CommandResult r = CommandResult.onCluster("install", "-n", ns, "--local-controllers", "--components", "source-controller",
                "--registry", "registry.example.com/mirror", "--registry-creds", "robot:s3cret", "--image-pull-secret", "regcred",
                "--toleration-keys", "dedicated", "--watch-all-namespaces=false", "--log-level", "error", "--timeout", "90s");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).contains("✔ install completed\n► generating image pull secret regcred\n", "✔ install finished");

        KubernetesClient client = ControlPlane.shared().client();
        Secret secret = client.secrets().inNamespace(ns).withName("regcred").get();
        assertThat(secret.getType()).isEqualTo("kubernetes.io/dockerconfigjson");
        String config = new String(Base64.getDecoder().decode(secret.getData().get(".dockerconfigjson")), StandardCharsets.UTF_8);
        assertThat(config).isEqualTo("{\"auths\":{\"registry.example.com\":{\"username\":\"robot\",\"password\":\"s3cret\",\"auth\":\""
                + Base64.getEncoder().encodeToString("robot:s3cret".getBytes(StandardCharsets.UTF_8)) + "\"}}}");
        Deployment source = client.apps().deployments().inNamespace(ns).withName("source-controller").get();
        var pod = source.getSpec().getTemplate().getSpec();
        assertThat(pod.getImagePullSecrets()).extracting(LocalObjectReference::getName).containsExactly("regcred");
        assertThat(pod.getTolerations()).extracting(Toleration::getKey).containsExactly("dedicated");
        assertThat(env(source)).containsEntry("LOG_LEVEL", "ERROR").containsEntry("QUARKUS_OPERATOR_SDK_NAMESPACES", "$(RUNTIME_NAMESPACE)");

        // new credentials replace the Secret's data on the next install
        CommandResult again = CommandResult.onCluster("install", "-n", ns, "--local-controllers", "--components", "source-controller",
                "--registry", "registry.example.com/mirror", "--registry-creds", "robot:rotated", "--image-pull-secret", "regcred",
                "--toleration-keys", "dedicated", "--watch-all-namespaces=false", "--log-level", "error", "--timeout", "90s");
        assertThat(again.code()).as(again.toString()).isZero();
        String rotated = new String(Base64.getDecoder().decode(client.secrets().inNamespace(ns).withName("regcred").get().getData()
                .get(".dockerconfigjson")), StandardCharsets.UTF_8);
        assertThat(rotated).contains("\"password\":\"rotated\"");
    }

    @Test
    void anInstallationManagedByAnotherToolIsOverriddenOnlyAfterConfirmationOrWithForce() {
        String ns = "install-force";
        KubernetesClient client = ControlPlane.shared().client();
        CommandResult first = CommandResult.onCluster("install", "-n", ns, "--local-controllers", "--components", "source-controller",
                "--timeout", "90s");
        assertThat(first.code()).as(first.toString()).isZero();
        String crd = "gitrepositories.source.toolkit.fluxcd.io";
        client.apiextensions().v1().customResourceDefinitions().withName(crd)
                .edit(c -> { c.getMetadata().getLabels().put("app.kubernetes.io/managed-by", "Helm"); return c; });
        try {
            CommandResult refused = withStdin("n\n", () -> CommandResult.onCluster("install", "-n", ns, "--local-controllers",
                    "--components", "source-controller", "--timeout", "90s"));
            assertThat(refused.code()).as(refused.toString()).isEqualTo(ExitCodes.FAILURE);
            assertThat(refused.err()).contains("has been installed on this cluster with Helm!\n"
                    + "Are you sure you want to override the Helm installation? [y/N] ").endsWith("✗ installation cancelled\n");
            assertThat(refused.out()).as("nothing applied").isEmpty();

            CommandResult forced = CommandResult.onCluster("install", "-n", ns, "--local-controllers", "--components", "source-controller",
                    "--force", "--timeout", "90s");
            assertThat(forced.code()).as(forced.toString()).isZero();
            assertThat(forced.err()).doesNotContain("Are you sure");
        } finally {
            client.apiextensions().v1().customResourceDefinitions().withName(crd)
                    .edit(c -> { c.getMetadata().getLabels().remove("app.kubernetes.io/managed-by"); return c; });
        }
    }

    @Test
    void aBootstrappedClusterIsRefusedEvenWithForceAndPointsToBootstrap() {
        String ns = "install-bootstrapped";
        KubernetesClient client = ControlPlane.shared().client();
        ControlPlane.shared().applyCrds(ControlPlane.projectRoot().resolve("manifests/crds"));
        String crd = "gitrepositories.source.toolkit.fluxcd.io";
        // what kustomize-controller leaves on the CRDs it applies from the bootstrap's currents-components.yaml
        client.apiextensions().v1().customResourceDefinitions().withName(crd).edit(c -> {
            if (c.getMetadata().getLabels() == null) {
                c.getMetadata().setLabels(new java.util.HashMap<>());
            }
            c.getMetadata().getLabels().put("kustomize.toolkit.fluxcd.io/name", "flux-system");
            c.getMetadata().getLabels().put("kustomize.toolkit.fluxcd.io/namespace", "flux-system");
            return c;
        });
        try {
            CommandResult refused = CommandResult.onCluster("install", "-n", ns, "--local-controllers", "--components", "source-controller",
                    "--force", "--timeout", "90s");
            assertThat(refused.code()).as(refused.toString()).isEqualTo(ExitCodes.FAILURE);
            String version = client.apiextensions().v1().customResourceDefinitions().withName(crd).get().getMetadata().getLabels()
                    .getOrDefault("app.kubernetes.io/version", "");
            assertThat(refused.err()).endsWith("✗ this cluster has already been bootstrapped with Currents " + version
                    + "! Please use 'currents bootstrap' to upgrade\n");
            assertThat(refused.out()).as("nothing applied").isEmpty();
            assertThat(client.apps().deployments().inNamespace(ns).withName("source-controller").get()).isNull();
        } finally {
            client.apiextensions().v1().customResourceDefinitions().withName(crd).edit(c -> {
                c.getMetadata().getLabels().remove("kustomize.toolkit.fluxcd.io/name");
                c.getMetadata().getLabels().remove("kustomize.toolkit.fluxcd.io/namespace");
                return c;
            });
        }
    }

    private static CommandResult withStdin(String input, java.util.function.Supplier<CommandResult> run) {
        InputStream before = System.in;
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            return run.get();
        } finally {
            System.setIn(before);
        }
    }

    static List<Deployment> deployments(String yaml) {
        return ControlPlane.shared().client().load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items().stream()
                .filter(o -> o instanceof Deployment).map(o -> (Deployment) o).toList();
    }

    static Map<String, String> env(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue, (a, b) -> b));
    }
}
