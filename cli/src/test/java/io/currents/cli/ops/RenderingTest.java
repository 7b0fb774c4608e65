package io.currents.cli.ops;

import io.currents.runtime.apply.ObjectRef;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The text the commands print, from fixed objects: tables, trees, trace reports, diffs, event rows and builds. */
class RenderingTest {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    static GenericKubernetesResource object(String yaml) {
        return SERIALIZATION.unmarshal(yaml, GenericKubernetesResource.class);
    }

    static final GenericKubernetesResource READY_KS = object("""
            apiVersion: kustomize.toolkit.fluxcd.io/v1
            kind: Kustomization
            metadata: {name: apps, namespace: currents-system}
            spec: {path: ./apps, targetNamespace: prod, sourceRef: {kind: GitRepository, name: fleet}}
            status:
              lastAppliedRevision: main@sha1:5902d505fb6f42cf3d5dbf5a77cd14a4bc0ffa6a
              conditions:
              - {type: Ready, status: "True", reason: ReconciliationSucceeded, lastTransitionTime: "2026-11-23T10:15:30Z",
                 message: "Applied revision: main@sha1:5902d505fb6f42cf3d5dbf5a77cd14a4bc0ffa6a"}
            """);
    static final GenericKubernetesResource SUSPENDED_KS = object("""
            apiVersion: kustomize.toolkit.fluxcd.io/v1
            kind: Kustomization
            metadata: {name: infrastructure-controllers, namespace: team-a}
            spec: {suspend: true}
            """);
    static final GenericKubernetesResource FAILED_GIT = object("""
            apiVersion: source.toolkit.fluxcd.io/v1
            kind: GitRepository
            metadata: {name: fleet, namespace: currents-system}
            spec: {url: "https://git.example.com/fleet.git", ref: {branch: main}}
            status:
              artifact: {revision: main@sha1:5902d505fb6f42cf3d5dbf5a77cd14a4bc0ffa6a}
              conditions:
              - {type: Ready, status: "False", reason: GitOperationFailed, lastTransitionTime: "2026-11-23T10:14:00Z",
                 message: "failed to checkout and determine revision: authentication required"}
            """);

    @Test
    void kustomizationTableWithAndWithoutNamespaces() {
        String table = Console.table(GetCommand.headers(FluxKind.KUSTOMIZATION, false), List.of(
                GetCommand.row(FluxKind.KUSTOMIZATION, READY_KS, false, false),
                GetCommand.row(FluxKind.KUSTOMIZATION, SUSPENDED_KS, false, false)));
        Cli.assertGolden("tables/kustomizations.txt", table);
        String all = Console.table(GetCommand.headers(FluxKind.KUSTOMIZATION, true), List.of(
                GetCommand.row(FluxKind.KUSTOMIZATION, READY_KS, true, false),
                GetCommand.row(FluxKind.KUSTOMIZATION, SUSPENDED_KS, true, false)));
        Cli.assertGolden("tables/kustomizations-all-namespaces.txt", all);
        assertThat(all.lines().findFirst().orElseThrow()).startsWith("NAMESPACE         NAME");
    }

    @Test
    void getAllNamesRowsByKind() {
        String table = Console.table(GetCommand.headers(FluxKind.GIT_REPOSITORY, false),
                List.of(GetCommand.row(FluxKind.GIT_REPOSITORY, FAILED_GIT, false, true)));
        Cli.assertGolden("tables/all-gitrepositories.txt", table);
    }

    @Test
    void imageAndNotificationColumns() {
        GenericKubernetesResource policy = object("""
                apiVersion: image.toolkit.fluxcd.io/v1
                kind: ImagePolicy
                metadata: {name: podinfo, namespace: currents-system}
                status:
                  latestRef: {name: ghcr.io/stefanprodan/podinfo, tag: 6.5.1}
                  conditions: [{type: Ready, status: "True", message: "Latest image tag for ghcr.io/stefanprodan/podinfo resolved to 6.5.1"}]
                """);
        GenericKubernetesResource alert = object("""
                apiVersion: notification.toolkit.fluxcd.io/v1beta3
                kind: Alert
                metadata: {name: slack, namespace: currents-system}
                spec: {providerRef: {name: slack}}
                """);
        String text = Console.table(GetCommand.headers(FluxKind.IMAGE_POLICY, false),
                List.of(GetCommand.row(FluxKind.IMAGE_POLICY, policy, false, false)))
                + Console.table(GetCommand.headers(FluxKind.ALERT, false), List.of(GetCommand.row(FluxKind.ALERT, alert, false, false)));
        Cli.assertGolden("tables/image-policy-and-alert.txt", text);
    }

    @Test
    void treeUsesFluxCharacters() {
        TreeCommand.Node tree = new TreeCommand.Node("kustomize.toolkit.fluxcd.io/v1",
                new ObjectRef("kustomize.toolkit.fluxcd.io", "Kustomization", "currents-system", "currents-system"), List.of(
                new TreeCommand.Node("v1", new ObjectRef("", "Namespace", "", "currents-system"), List.of()),
                new TreeCommand.Node("apps/v1", new ObjectRef("apps", "Deployment", "currents-system", "kustomize-controller"), List.of()),
                new TreeCommand.Node("kustomize.toolkit.fluxcd.io/v1",
                        new ObjectRef("kustomize.toolkit.fluxcd.io", "Kustomization", "currents-system", "apps"), List.of(
                        new TreeCommand.Node("v1", new ObjectRef("", "Namespace", "", "podinfo"), List.of()),
                        new TreeCommand.Node("v1", new ObjectRef("", "Service", "podinfo", "podinfo"), List.of()))),
                new TreeCommand.Node("source.toolkit.fluxcd.io/v1",
                        new ObjectRef("source.toolkit.fluxcd.io", "GitRepository", "currents-system", "currents-system"), List.of())));
        Cli.assertGolden("tree/tree.txt", TreeCommand.render(tree));
    }

    @Test
    void traceReportOfAKustomizationAndItsGitRepository() {
        GenericKubernetesResource deployment = object("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: podinfo, namespace: prod}
                """);
        Cli.assertGolden("trace/kustomization.txt", TraceCommand.kustomizationReport(deployment, READY_KS, FAILED_GIT));
    }

    @Test
    void diffBlocksShowPathsAndMaskSecrets() {
        Map<String, Object> live = Map.of("spec", Map.of("replicas", 1, "ports", List.of(Map.of("name", "http", "port", 9899)),
                "selector", Map.of("app", "web")), "metadata", Map.of("labels", Map.of("a", "1")));
        Map<String, Object> merged = Map.of("spec", Map.of("replicas", 2, "ports", List.of(Map.of("name", "http", "port", 9898)),
                "selector", Map.of("app", "web")), "metadata", Map.of("labels", Map.of("a", "1", "team", "web")));
        String text = String.join("\n", ObjectDiff.between(live, merged, false));
        Map<String, Object> secretLive = Map.of("data", Map.of("password", "b2xk"));
        Map<String, Object> secretNew = Map.of("data", Map.of("password", "bmV3", "token", "dA=="));
        text += "\n" + String.join("\n", ObjectDiff.between(secretLive, secretNew, true));
        Cli.assertGolden("diff/blocks.txt", text);
        assertThat(text).doesNotContain("b2xk").doesNotContain("bmV3").doesNotContain("dA==");
    }

    @Test
    void eventRowsShowAgeTypeReasonObjectMessage() {
        Event event = new EventBuilder().withNewMetadata().withName("apps.1").withNamespace("currents-system").endMetadata()
                .withNewInvolvedObject().withApiVersion("kustomize.toolkit.fluxcd.io/v1").withKind("Kustomization").withName("apps")
                .withNamespace("currents-system").endInvolvedObject()
                .withType("Normal").withReason("ReconciliationSucceeded").withMessage("Reconciliation finished in 1.2s, next run in 10m0s\n")
                .withLastTimestamp("2026-11-23T10:10:00Z").build();
        Clock clock = Clock.fixed(Instant.parse("2026-11-23T10:15:30Z"), ZoneOffset.UTC);
        String table = Console.table(EventsCommand.headers(false), List.of(EventsCommand.row(event, false, clock)));
        Cli.assertGolden("tables/events.txt", table);
        assertThat(EventsCommand.age(java.time.Duration.ofSeconds(42))).isEqualTo("42s");
        assertThat(EventsCommand.age(java.time.Duration.ofHours(50))).isEqualTo("2d");
    }

    @Test
    void buildRendersWhatTheControllerWouldApplyWithSubstitutionsAndMaskedSops() {
        Cli.Run r = Cli.run("build", "kustomization", "app", "--path", "src/test/resources/build/app",
                "--kustomization-file", "src/test/resources/build/kustomization-app.yaml", "--dry-run");
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        Cli.assertGolden("build/app.yaml", r.out());
        assertThat(r.out()).contains("replicas: 2").contains("GREETING: hello").contains("password: '**SOPS**'")
                .doesNotContain("ENC[").doesNotContain("sops:");
    }

    @Test
    void buildFindsBasesElsewhereInTheRepository(@org.junit.jupiter.api.io.TempDir java.nio.file.Path repo) throws Exception {
        java.nio.file.Files.createDirectories(repo.resolve(".git"));
        java.nio.file.Files.createDirectories(repo.resolve("apps/base"));
        java.nio.file.Files.createDirectories(repo.resolve("apps/staging"));
        java.nio.file.Files.writeString(repo.resolve("apps/base/kustomization.yaml"), "resources:\n- cm.yaml\n");
        java.nio.file.Files.writeString(repo.resolve("apps/base/cm.yaml"),
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  env: base\n");
        java.nio.file.Files.writeString(repo.resolve("apps/staging/kustomization.yaml"),
                "resources:\n- ../base\nnameSuffix: -staging\n");
        java.nio.file.Files.writeString(repo.resolve("ks.yaml"), """
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata: {name: staging, namespace: flux-system}
                spec: {interval: 5m, path: ./apps/staging, prune: true, targetNamespace: staging,
                       sourceRef: {kind: GitRepository, name: fleet}}
                """);
        Cli.Run r = Cli.run("build", "ks", "staging", "--path", repo.resolve("apps/staging").toString(),
                "--kustomization-file", repo.resolve("ks.yaml").toString(), "--dry-run");
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEqualTo("""
                apiVersion: v1
                data:
                  env: base
                kind: ConfigMap
                metadata:
                  labels:
                    kustomize.toolkit.fluxcd.io/name: staging
                    kustomize.toolkit.fluxcd.io/namespace: flux-system
                  name: web-staging
                  namespace: staging
                """);
        assertThat(repo.resolve("apps/staging/kustomization.yaml")).content().doesNotContain("namespace");
    }

    @Test
    void buildFailsWithOneSentenceForAMissingDirectory() {
        Cli.Run r = Cli.run("build", "kustomization", "app", "--path", "src/test/resources/build/nope",
                "--kustomization-file", "src/test/resources/build/kustomization-app.yaml", "--dry-run");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("is not a directory");
        Cli.Run noFile = Cli.run("build", "kustomization", "app", "--path", "src/test/resources/build/app", "--dry-run");
        assertThat(noFile.err()).contains("--dry-run needs --kustomization-file");
    }
}
