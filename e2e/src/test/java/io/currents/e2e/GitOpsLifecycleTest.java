package io.currents.e2e;

import io.currents.testkit.ControlPlane;
import io.currents.testkit.git.TestRepo;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.currents.e2e.Eventually.await;
import static io.currents.e2e.FluxObjects.string;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A platform engineer's story from bootstrap to uninstall, on the local control plane with the controllers running
 * as processes and a Git server over HTTP; every command is the CLI's. The steps build on each other and run in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("cluster")
class GitOpsLifecycleTest {

    static final String PATH = "clusters/e2e";
    static final String NS = LocalCluster.NAMESPACE;
    static final String APP_NS = "staging";
    static final Duration CONVERGE = Duration.ofSeconds(60);

    /** The hello app's Kustomization: a short interval, so drift is corrected within seconds. */
    static final String HELLO_KUSTOMIZATION = """
            apiVersion: kustomize.toolkit.fluxcd.io/v1
            kind: Kustomization
            metadata:
              name: hello
              namespace: currents-system
            spec:
              interval: 10s
              sourceRef:
                kind: GitRepository
                name: currents-system
              path: ./apps/hello/overlays/staging
              prune: true
              timeout: 1m
            """;

    LocalCluster cluster;
    KubernetesClient kube;
    Cli cli;
    TestRepo repo;
    String url;
    Path scratch;

    WebhookRecorder webhook;

    @BeforeAll
    void startCluster() throws IOException {
        webhook = WebhookRecorder.start();
        cluster = LocalCluster.shared();
        kube = cluster.client();
        cli = new Cli(cluster.kubeconfig());
        repo = TestRepo.create(cluster.gitRoot(), "fleet");
        url = cluster.git().url(repo);
        scratch = Files.createTempDirectory(Path.of("target", "e2e"), "clones");
    }

    @AfterAll
    void closeRepo() {
        repo.close();
        webhook.close();
    }

    @Test
    @Order(1)
    void bootstrapFromAnEmptyRepositoryMakesTheClusterFollowIt() {
        assertThat(repo.head("main")).as("the repository starts empty").isNull();

        Cli.Result result = cli.run("bootstrap", "git", "--url", url, "--branch", "main", "--path", PATH,
                "--interval", "10s", "--local-controllers", "--author-name", "E2E", "--author-email", "e2e@currents.invalid");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        String head = repo.head("main");
        assertThat(head).as("bootstrap pushed a commit").isNotNull();
        assertThat(ready(source("currents-system"))).as("GitRepository currents-system Ready").isTrue();
        assertThat(revision(source("currents-system"))).isEqualTo("main@sha1:" + head);
        GenericKubernetesResource sync = kustomization("currents-system");
        assertThat(ready(sync)).as("Kustomization currents-system Ready").isTrue();
        assertThat(string(sync, "status", "lastAppliedRevision")).isEqualTo("main@sha1:" + head);
        for (String controller : List.of("source-controller", "kustomize-controller", "helm-controller", "notification-controller")) {
            Deployment deployment = kube.apps().deployments().inNamespace(NS).withName(controller).get();
            assertThat(deployment).as("Deployment " + controller).isNotNull();
            assertThat(deployment.getSpec().getReplicas()).as("--local-controllers scales " + controller + " to 0").isZero();
        }
    }

    @Test
    @Order(2)
    void theRepositoryHoldsTheCurrentsSystemFilesAndBootstrapAgainChangesNothing() throws Exception {
        Path clone = clone("after-bootstrap");
        Path system = clone.resolve(PATH).resolve("currents-system");
        assertThat(system.resolve("kustomization.yaml")).isRegularFile();
        String all = readAll(system);
        assertThat(all).contains("kind: CustomResourceDefinition", "name: source-controller", "name: kustomize-controller",
                "name: helm-controller", "name: notification-controller", "kind: GitRepository", "kind: Kustomization", url);
        assertThat(all).as("the default components post their events to notification-controller")
                .contains("http://notification-controller." + NS + ".svc.cluster.local./");

        String head = repo.head("main");
        Cli.Result again = cli.run("bootstrap", "git", "--url", url, "--branch", "main", "--path", PATH,
                "--interval", "10s", "--local-controllers", "--author-name", "E2E", "--author-email", "e2e@currents.invalid");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(repo.head("main")).as("no new commit when nothing changed").isEqualTo(head);
    }

    @Test
    @Order(3)
    void aCommittedAppIsApplied() throws IOException {
        TestRepo.Change change = repo.change("main").file(PATH + "/apps.yaml", HELLO_KUSTOMIZATION);
        Path hello = ControlPlane.projectRoot().resolve("examples").resolve("apps").resolve("hello");
        try (Stream<Path> files = Files.walk(hello)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                change.file("apps/hello/" + hello.relativize(file).toString().replace('\\', '/'), Files.readString(file));
            }
        }
        String commit = change.commit("Add the hello app to the e2e cluster");

        await("the hello app of commit " + commit + " is applied", Duration.ofSeconds(90),
                () -> deployment() != null && ("main@sha1:" + commit).equals(string(kustomization("hello"), "status", "lastAppliedRevision")),
                () -> "hello " + describe(kustomization("hello")) + ", sync " + describe(kustomization("currents-system")));
        assertThat(ready(kustomization("hello"))).isTrue();
        ConfigMap config = kube.configMaps().inNamespace(APP_NS).list().getItems().stream()
                .filter(c -> c.getMetadata().getName().startsWith("hello-config-")).findFirst().orElseThrow();
        assertThat(config.getData()).containsEntry("LOG_LEVEL", "debug");
        assertThat(deployment().getSpec().getReplicas()).isEqualTo(1);
    }

    @Test
    @Order(4)
    void aHandEditIsReverted() {
        Deployment edited = kube.apps().deployments().inNamespace(APP_NS).withName("hello").edit(d -> {
            d.getSpec().setReplicas(3);
            return d;
        });
        assertThat(edited.getSpec().getReplicas()).isEqualTo(3);

        await("kustomize-controller puts replicas back to 1", CONVERGE,
                () -> deployment().getSpec().getReplicas() == 1, () -> "replicas " + deployment().getSpec().getReplicas());
    }

    @Test
    @Order(5)
    void suspendStopsChangesAndResumeRestartsThem() {
        Cli.Result suspend = cli.run("suspend", "kustomization", "hello");
        assertThat(suspend.exitCode()).as(suspend.toString()).isZero();
        assertThat(kustomization("hello").getAdditionalProperties().get("spec")).asString().contains("suspend=true");

        scaleHello(4);
        // longer than the Kustomization's interval (10s, 5% jitter): a scheduled reconcile would have reverted the edit
        Eventually.sleep(Duration.ofSeconds(15));
        assertThat(deployment().getSpec().getReplicas()).as("a suspended Kustomization leaves the edit").isEqualTo(4);

        Cli.Result resume = cli.run("resume", "kustomization", "hello");
        assertThat(resume.exitCode()).as(resume.toString()).isZero();
        await("after resume, replicas are back to 1", CONVERGE,
                () -> deployment().getSpec().getReplicas() == 1, () -> "replicas " + deployment().getSpec().getReplicas());
    }

    @Test
    @Order(6)
    void diffReportsADrift() throws Exception {
        Path local = clone("for-diff").resolve("apps/hello/overlays/staging");

        Cli.Result clean = cli.run("diff", "kustomization", "hello", "--path", local.toString());
        assertThat(clean.exitCode()).as("no drift: " + clean).isZero();

        Cli.Result suspend = cli.run("suspend", "kustomization", "hello");
        assertThat(suspend.exitCode()).as(suspend.toString()).isZero();
        scaleHello(2);
        Cli.Result drift = cli.run("diff", "kustomization", "hello", "--path", local.toString());
        assertThat(drift.exitCode()).as("drift: " + drift).isEqualTo(1);
        assertThat(drift.out()).contains("Deployment").contains("hello").contains("replicas");

        Cli.Result resume = cli.run("resume", "kustomization", "hello");
        assertThat(resume.exitCode()).as(resume.toString()).isZero();
        await("after resume, replicas are back to 1", CONVERGE,
                () -> deployment().getSpec().getReplicas() == 1, () -> "replicas " + deployment().getSpec().getReplicas());
    }

    @Test
    @Order(7)
    void reconcileAppliesANewCommitAtOnce() {
        String first = repo.change("main").file("apps/probe/configmap.yaml", probeConfigMap("one")).commit("probe: one");
        // an hour between reconciles: only `reconcile` can make these objects see the next commit during the test
        kube.resource("""
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: GitRepository
                metadata:
                  name: probe
                  namespace: currents-system
                spec:
                  interval: 1h
                  url: %s
                  ref:
                    branch: main
                """.formatted(url)).serverSideApply();
        kube.resource("""
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata:
                  name: probe
                  namespace: currents-system
                spec:
                  interval: 1h
                  sourceRef:
                    kind: GitRepository
                    name: probe
                  path: ./apps/probe
                  prune: true
                """).serverSideApply();
        await("the probe Kustomization applies its first commit", CONVERGE,
                () -> "one".equals(probeValue()) && ("main@sha1:" + first).equals(string(kustomization("probe"), "status", "lastAppliedRevision")),
                () -> describe(kustomization("probe")));

        String second = repo.change("main").file("apps/probe/configmap.yaml", probeConfigMap("two")).commit("probe: two");
        Cli.Result reconcile = cli.run("reconcile", "kustomization", "probe", "--with-source");

        assertThat(reconcile.exitCode()).as(reconcile.toString()).isZero();
        assertThat(revision(source("probe"))).as("the source fetched the new commit").isEqualTo("main@sha1:" + second);
        assertThat(string(kustomization("probe"), "status", "lastAppliedRevision")).isEqualTo("main@sha1:" + second);
        assertThat(probeValue()).as("applied when reconcile returned").isEqualTo("two");
    }

    @Test
    @Order(8)
    void anAlertInGitSendsTheControllersEventsToAWebhook() {
        String alerts = repo.change("main").file(PATH + "/alerts.yaml", """
                apiVersion: notification.toolkit.fluxcd.io/v1beta3
                kind: Provider
                metadata:
                  name: webhook
                  namespace: currents-system
                spec:
                  type: generic
                  address: %s
                ---
                apiVersion: notification.toolkit.fluxcd.io/v1beta3
                kind: Alert
                metadata:
                  name: everything
                  namespace: currents-system
                spec:
                  providerRef:
                    name: webhook
                  eventSeverity: info
                  eventSources:
                    - kind: Kustomization
                      name: '*'
                    - kind: HelmRelease
                      name: '*'
                """.formatted(webhook.url())).commit("Send the cluster's events to the team's webhook");
        await("the Alert of " + alerts + " is applied", Duration.ofSeconds(90),
                () -> kube.genericKubernetesResources("notification.toolkit.fluxcd.io/v1beta3", "Alert").inNamespace(NS)
                        .withName("everything").get() != null,
                () -> "sync " + describe(kustomization("currents-system")));

        String three = repo.change("main").file("apps/probe/configmap.yaml", probeConfigMap("three")).commit("probe: three");
        Cli.Result reconcile = cli.run("reconcile", "kustomization", "probe", "--with-source");
        assertThat(reconcile.exitCode()).as(reconcile.toString()).isZero();

        // notification-controller delivers concurrently (as Flux's does), so the change-set event and the
        // "Reconciliation finished" event of the same revision may arrive in either order
        java.util.function.Predicate<Map<?, ?>> changeSetOfThree = e -> involves(e, "Kustomization", "probe")
                && ("main@sha1:" + three).equals(metadata(e).get("revision"))
                && String.valueOf(e.get("message")).contains("ConfigMap/default/probe");
        await("the webhook receives kustomize-controller's change-set event for " + three, CONVERGE,
                () -> webhook.events().stream().anyMatch(changeSetOfThree),
                () -> "received " + webhook.events());
        Map<?, ?> event = webhook.events().stream().filter(changeSetOfThree).findFirst().orElseThrow();
        assertThat(event.get("reportingController")).isEqualTo("kustomize-controller");
    }

    @Test
    @Order(9)
    void aHelmReleaseInGitIsInstalledThenUpgradedByAValuesChange() {
        String install = repo.change("main")
                .file("charts/greeter/Chart.yaml", "apiVersion: v2\nname: greeter\nversion: 0.1.0\n")
                .file("charts/greeter/values.yaml", "greeting: hi\n")
                .file("charts/greeter/templates/configmap.yaml", """
                        apiVersion: v1
                        kind: ConfigMap
                        metadata:
                          name: {{ .Release.Name }}
                        data:
                          greeting: {{ .Values.greeting | quote }}
                        """)
                .file(PATH + "/greeter.yaml", greeterRelease("hello"))
                .commit("Add the greeter chart and its HelmRelease");

        await("the greeter release of " + install + " is installed", Duration.ofSeconds(120),
                () -> "hello".equals(greeting()) && ready(helmRelease()),
                () -> "HelmRelease " + describe(helmRelease()) + ", sync " + describe(kustomization("currents-system")));
        // stored where Flux stores it: the HelmRelease's namespace, the objects in the target namespace
        Secret first = kube.secrets().inNamespace("currents-system").withName("sh.helm.release.v1.default-greeter.v1").get();
        assertThat(first).as("Helm's own release record, which `helm list -n currents-system` reads").isNotNull();
        assertThat(first.getMetadata().getLabels()).containsEntry("owner", "helm").containsEntry("name", "default-greeter");
        await("the webhook receives helm-controller's install event", CONVERGE,
                () -> webhook.events().stream().anyMatch(e -> involves(e, "HelmRelease", "greeter")),
                () -> "received " + webhook.events());

        String upgrade = repo.change("main").file(PATH + "/greeter.yaml", greeterRelease("bonjour")).commit("greeter: bonjour");
        await("the values change of " + upgrade + " is released as revision 2", Duration.ofSeconds(120),
                () -> "bonjour".equals(greeting())
                        && kube.secrets().inNamespace("currents-system").withName("sh.helm.release.v1.default-greeter.v2").get() != null,
                () -> "HelmRelease " + describe(helmRelease()) + ", greeting " + greeting());
    }

    @Test
    @Order(10)
    void removingTheAppFromGitPrunesIt() {
        String commit = repo.change("main").delete(PATH + "/apps.yaml").delete("apps/hello").commit("Remove the hello app");

        await("the hello Kustomization and its Deployment are pruned after " + commit, Duration.ofSeconds(90),
                () -> kustomization("hello") == null && deployment() == null,
                () -> "hello " + describe(kustomization("hello")) + ", deployment " + (deployment() != null)
                        + ", sync " + describe(kustomization("currents-system")));
    }

    @Test
    @Order(11)
    void uninstallRemovesTheControllersAndLeavesTheApp() {
        // in a cluster, deleting the Deployments stops the controllers; here they are processes outside the cluster
        cluster.stopControllers();

        Cli.Result result = cli.run("uninstall", "--silent");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        await("the controllers' namespace and CRDs are gone", CONVERGE,
                () -> kube.namespaces().withName(NS).get() == null
                        && kube.apiextensions().v1().customResourceDefinitions().withName("kustomizations.kustomize.toolkit.fluxcd.io").get() == null
                        && kube.apiextensions().v1().customResourceDefinitions().withName("gitrepositories.source.toolkit.fluxcd.io").get() == null,
                () -> "namespace " + kube.namespaces().withName(NS).get());
        assertThat(kube.apps().deployments().inNamespace(NS).list().getItems()).isEmpty();
        assertThat(probeValue()).as("the app the probe Kustomization applied stays").isEqualTo("three");
        assertThat(greeting()).as("the objects of the Helm release stay").isEqualTo("bonjour");
    }

    private static String greeterRelease(String greeting) {
        return """
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata:
                  name: greeter
                  namespace: currents-system
                spec:
                  interval: 10s
                  targetNamespace: default
                  chart:
                    spec:
                      chart: ./charts/greeter
                      interval: 10s
                      sourceRef:
                        kind: GitRepository
                        name: currents-system
                  values:
                    greeting: %s
                """.formatted(greeting);
    }

    private String greeting() {
        ConfigMap cm = kube.configMaps().inNamespace("default").withName("default-greeter").get();
        return cm == null || cm.getData() == null ? null : cm.getData().get("greeting");
    }

    private GenericKubernetesResource helmRelease() {
        return kube.genericKubernetesResources("helm.toolkit.fluxcd.io/v2", "HelmRelease").inNamespace(NS).withName("greeter").get();
    }

    private static boolean involves(Map<?, ?> event, String kind, String name) {
        return event.get("involvedObject") instanceof Map<?, ?> object && kind.equals(object.get("kind")) && name.equals(object.get("name"));
    }

    private static Map<?, ?> metadata(Map<?, ?> event) {
        return event.get("metadata") instanceof Map<?, ?> m ? m : Map.of();
    }

    private static String probeConfigMap(String value) {
        return """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: probe
                  namespace: default
                data:
                  value: %s
                """.formatted(value);
    }

    private String probeValue() {
        ConfigMap cm = kube.configMaps().inNamespace("default").withName("probe").get();
        return cm == null || cm.getData() == null ? null : cm.getData().get("value");
    }

    private void scaleHello(int replicas) {
        Deployment edited = kube.apps().deployments().inNamespace(APP_NS).withName("hello").edit(d -> {
            d.getSpec().setReplicas(replicas);
            return d;
        });
        assertThat(edited.getSpec().getReplicas()).isEqualTo(replicas);
    }

    private Deployment deployment() {
        return kube.apps().deployments().inNamespace(APP_NS).withName("hello").get();
    }

    private GenericKubernetesResource source(String name) {
        return kube.genericKubernetesResources("source.toolkit.fluxcd.io/v1", "GitRepository").inNamespace(NS).withName(name).get();
    }

    private GenericKubernetesResource kustomization(String name) {
        return kube.genericKubernetesResources("kustomize.toolkit.fluxcd.io/v1", "Kustomization").inNamespace(NS).withName(name).get();
    }

    private static String revision(GenericKubernetesResource source) {
        return string(source, "status", "artifact", "revision");
    }

    private static boolean ready(GenericKubernetesResource obj) {
        return "True".equals(readyCondition(obj).get("status"));
    }

    private static Map<?, ?> readyCondition(GenericKubernetesResource obj) {
        if (obj == null || !(obj.getAdditionalProperties().get("status") instanceof Map<?, ?> status)
                || !(status.get("conditions") instanceof List<?> conditions)) {
            return Map.of();
        }
        return conditions.stream().filter(c -> c instanceof Map<?, ?> m && "Ready".equals(m.get("type")))
                .map(c -> (Map<?, ?>) c).findFirst().orElse(Map.of());
    }

    private static String describe(GenericKubernetesResource obj) {
        if (obj == null) {
            return "(absent)";
        }
        return "Ready=" + readyCondition(obj).get("status") + " " + readyCondition(obj).get("message")
                + " lastApplied=" + string(obj, "status", "lastAppliedRevision");
    }


    private Path clone(String name) throws Exception {
        Path dir = scratch.resolve(name);
        try (Git ignored = Git.cloneRepository().setURI(url).setBranch("main").setDirectory(dir.toFile()).call()) {
            return dir;
        }
    }

    private static String readAll(Path dir) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                all.append(Files.readString(file)).append('\n');
            }
        }
        return all.toString();
    }
}
