package io.currents.cli.ops;

import io.fabric8.kubernetes.api.model.Secret;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code create} applies objects to the real API server (waiting for Ready where a controller answers) and {@code export} reads them back. */
@Tag("cluster")
class CreateAndExportTest {

    @Test
    void createSourceGitAppliesTheSecretAndTheSourceAndWaitsUntilReady() throws Exception {
        String ns = Cluster.namespace("create");
        try (var git = new FakeController(FluxKind.GIT_REPOSITORY, ns, "fleet", true, "stored artifact",
                Cluster.artifact("main@sha1:abc"))) {
            Cli.Run r = Cluster.run(ns, "create", "source", "git", "fleet", "--url=https://git.example.com/fleet.git",
                    "--branch=main", "-u", "git", "-p", "s3cr3t", "--timeout=30s");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.err()).isEqualTo("""
                    ✚ generating GitRepository source
                    ► applying secret with repository credentials
                    ✔ authentication configured
                    ► applying GitRepository source
                    ✔ GitRepository source created
                    ◎ waiting for GitRepository source reconciliation
                    ✔ GitRepository source fleet is ready
                    ✔ fetched revision main@sha1:abc
                    """);
        }
        Secret secret = Cluster.client().secrets().inNamespace(ns).withName("fleet").get();
        assertThat(secret.getData()).containsKeys("username", "password");
        assertThat(FluxObjects.spec(Cluster.get(FluxKind.GIT_REPOSITORY, ns, "fleet")).get("secretRef")).isEqualTo(Map.of("name", "fleet"));

        // export --with-credentials appends the referenced Secret (name, namespace, type and data only), as flux does
        Cli.Run exported = Cluster.run(ns, "export", "source", "git", "fleet", "--with-credentials");
        assertThat(exported.code()).as(exported.err()).isZero();
        Cli.assertGolden("export/source-git-with-credentials.yaml", exported.out().replace(ns, "<ns>"));
        assertThat(Cluster.run(ns, "export", "source", "git", "fleet").out()).doesNotContain("kind: Secret");
        assertThat(Cli.run("export", "kustomization", "--help").out()).doesNotContain("--with-credentials");
    }

    @Test
    void createTimesOutWithAnActionableMessageWhenNoControllerAnswers() {
        String ns = Cluster.namespace("create");
        Cli.Run r = Cluster.run(ns, "create", "ks", "apps", "--source=fleet", "--path=./apps", "--timeout=2s");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("✔ Kustomization created").contains("timed out after 2s waiting for Kustomization apps to be ready");
        assertThat(Cluster.get(FluxKind.KUSTOMIZATION, ns, "apps")).isNotNull();
    }

    @Test
    void exportPrintsWhatCreateExportPrintsForTheSameFlags() {
        String ns = Cluster.namespace("export");
        String[] flags = {"create", "alert", "on-call", "--provider-ref=pager", "--event-source=Kustomization/*", "--event-severity=error"};
        Cli.Run created = Cluster.run(ns, flags);
        assertThat(created.code()).as(created.err()).isZero();
        List<String> withExport = new java.util.ArrayList<>(List.of(flags));
        withExport.add("--export");
        String expected = Cluster.run(ns, withExport.toArray(String[]::new)).out();
        Cli.Run exported = Cluster.run(ns, "export", "alert", "on-call");
        assertThat(exported.code()).isZero();
        assertThat(exported.out()).isEqualTo(expected);
    }

    @Test
    void exportDropsStatusAndServerFieldsAndKeepsLabels() {
        String ns = Cluster.namespace("export");
        Cluster.create(ns, """
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata: {name: apps, labels: {team: web}}
                spec: {interval: 10m, path: ./apps, prune: true, sourceRef: {kind: GitRepository, name: fleet}}
                """);
        Cluster.create(ns, """
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata: {name: infra}
                spec: {interval: 1h, path: ./infra, prune: false, sourceRef: {kind: GitRepository, name: fleet}}
                """);
        Cluster.status(FluxKind.KUSTOMIZATION, ns, "apps", s -> s.put("lastAppliedRevision", "main@sha1:abc"));
        Cli.Run r = Cluster.run(ns, "export", "ks", "--all");
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("""
                ---
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata:
                  labels:
                    team: web
                  name: apps
                  namespace: %1$s
                spec:
                  force: false
                  interval: 10m
                  path: ./apps
                  prune: true
                  sourceRef:
                    kind: GitRepository
                    name: fleet
                ---
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata:
                  name: infra
                  namespace: %1$s
                spec:
                  force: false
                  interval: 1h
                  path: ./infra
                  prune: false
                  sourceRef:
                    kind: GitRepository
                    name: fleet
                """.formatted(ns));
        assertThat(Cluster.run(ns, "export", "ks", "nope").err()).contains("Kustomization '" + ns + "/nope' not found");
    }

    @Test
    void createSecretProxyAndReceiverApplyTheSecrets() {
        String ns = Cluster.namespace("create-secret");
        Cli.Run proxy = Cluster.run(ns, "create", "secret", "proxy", "corp", "--address=http://proxy:3128", "-u", "u", "-p", "p");
        assertThat(proxy.code()).as(proxy.err()).isZero();
        Secret applied = Cluster.client().secrets().inNamespace(ns).withName("corp").get();
        assertThat(applied.getData()).containsOnlyKeys("address", "username", "password");
        Cli.Run receiver = Cluster.run(ns, "create", "secret", "receiver", "hook", "--type=generic", "--hostname=flux.example.com");
        assertThat(receiver.code()).as(receiver.err()).isZero();
        Secret token = Cluster.client().secrets().inNamespace(ns).withName("hook").get();
        assertThat(token.getData()).containsOnlyKeys("token");
        assertThat(token.getMetadata().getAnnotations().get("notification.toolkit.fluxcd.io/webhook"))
                .startsWith("https://flux.example.com/hook/");
    }

    @Test
    void createTenantAppliesNamespacesAccountsAndBindings() {
        String ns = Cluster.namespace("tenant");
        String team = ns + "-team";
        Cli.Run r = Cluster.run(ns, "create", "tenant", "team", "--with-namespace=" + team);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).isEqualTo("► applying namespace " + team + "\n► applying service account team\n"
                + "► applying role binding team-reconciler\n✔ tenant setup completed\n");
        var client = Cluster.client();
        assertThat(client.namespaces().withName(team).get().getMetadata().getLabels()).containsEntry("toolkit.fluxcd.io/tenant", "team");
        assertThat(client.serviceAccounts().inNamespace(team).withName("team").get()).isNotNull();
        var binding = client.rbac().roleBindings().inNamespace(team).withName("team-reconciler").get();
        assertThat(binding.getRoleRef().getName()).isEqualTo("cluster-admin");
        assertThat(binding.getSubjects()).extracting(s -> s.getKind() + "/" + s.getName())
                .containsExactly("User/gotk:" + team + ":reconciler", "ServiceAccount/team");
        // another cluster role replaces the binding (its roleRef cannot be changed in place)
        Cli.Run again = Cluster.run(ns, "create", "tenant", "team", "--with-namespace=" + team, "--cluster-role=view");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(client.rbac().roleBindings().inNamespace(team).withName("team-reconciler").get().getRoleRef().getName())
                .isEqualTo("view");
    }
}
