package io.currents.kustomization;

import io.currents.testkit.ControlPlane;
import io.currents.testkit.sops.FakeClouds;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * spec.kubeConfig.configMapRef with the cloud providers (Flux's secret-less EKS, GKE and AKS access): the controller's
 * cloud identity, or under the ObjectLevelWorkloadIdentity gate the ConfigMap's ServiceAccount exchanged for a cloud
 * identity, gets the cluster's token, and the cluster's address and CA from the cloud's API when the ConfigMap does not
 * give them. The fake clouds check every request and describe the local API server as the managed cluster, which
 * accepts their tokens through its token webhook as the cloud identity's name; that name has rights on ConfigMaps only,
 * so an applied ConfigMap proves which identity reached the cluster.
 */
@QuarkusTest
@TestProfile(GlobalDecryptionProfile.class)
class KustomizationCloudClusterTest {

    private static FakeClouds clouds;

    @BeforeAll
    static void startClouds() throws Exception {
        var client = ControlPlane.shared().client();
        clouds = FakeClouds.start(client, client.getConfiguration().getMasterUrl(), caPem());
        clouds.controllerProperties().forEach(System::setProperty);
    }

    @AfterAll
    static void stopClouds() {
        clouds.controllerProperties().keySet().forEach(System::clearProperty);
        clouds.close();
    }

    @Test
    void anEksClusterIsReachedWithTheControllersAwsIdentityAndItsDescribedEndpoint() {
        var s = new KustomizationScenario("ks-eks");
        allowConfigMaps(s, "arn:aws:iam::" + FakeClouds.ACCOUNT + ":user/kustomize-controller");
        kubeconfigConfigMap(s, Map.of("provider", "aws", "cluster", FakeClouds.EKS_ARN));
        String revision = s.commit("repo", Map.of("cm.yaml", KustomizationScenario.configMap("on-eks", s.namespace, Map.of("a", "1"))));
        s.apply(KustomizationScenario.kustomization("app", "repo", "", KUBECONFIG_CONFIGMAP));

        s.awaitApplied("app", revision);
        assertThat(s.object("v1", "ConfigMap", "on-eks")).isNotNull();
        assertThat(clouds.requests()).contains("GET /aws-eks/clusters/" + FakeClouds.EKS_CLUSTER);
    }

    @Test
    void anEksClusterIsReachedWithTheRoleOfTheConfigMapsServiceAccount() {
        var s = new KustomizationScenario("ks-eks-irsa");
        String role = "arn:aws:iam::" + FakeClouds.ACCOUNT + ":role/deployer-" + s.namespace;
        serviceAccount(s, "deployer", Map.of("eks.amazonaws.com/role-arn", role));
        clouds.trustRole(role, s.namespace, "deployer");
        allowConfigMaps(s, "arn:aws:sts::" + FakeClouds.ACCOUNT + ":assumed-role/deployer-" + s.namespace + "/deployer." + s.namespace
                + ".eu-west-1.fluxcd.io");
        kubeconfigConfigMap(s, Map.of("provider", "aws", "cluster", FakeClouds.EKS_ARN, "serviceAccountName", "deployer",
                "address", ControlPlane.shared().client().getConfiguration().getMasterUrl(), "ca.crt", caPem()));
        String revision = s.commit("repo", Map.of("cm.yaml", KustomizationScenario.configMap("on-eks", s.namespace, Map.of("a", "1"))));
        s.apply(KustomizationScenario.kustomization("app", "repo", "", KUBECONFIG_CONFIGMAP));

        s.awaitApplied("app", revision);
        assertThat(s.object("v1", "ConfigMap", "on-eks")).isNotNull();
    }

    @Test
    void aGkeClusterIsReachedWithTheGoogleServiceAccountOfTheConfigMapsServiceAccount() {
        var s = new KustomizationScenario("ks-gke");
        String email = "deployer-" + Math.abs(s.namespace.hashCode() % 100000) + "@currents-test.iam.gserviceaccount.com";
        serviceAccount(s, "deployer", Map.of("gcp.auth.fluxcd.io/workload-identity-provider", FakeClouds.GCP_PROVIDER,
                "iam.gke.io/gcp-service-account", email));
        clouds.federate(email, s.namespace, "deployer");
        allowConfigMaps(s, email);
        kubeconfigConfigMap(s, Map.of("provider", "gcp", "cluster", FakeClouds.GKE_CLUSTER, "serviceAccountName", "deployer"));
        String revision = s.commit("repo", Map.of("cm.yaml", KustomizationScenario.configMap("on-gke", s.namespace, Map.of("a", "1"))));
        s.apply(KustomizationScenario.kustomization("app", "repo", "", KUBECONFIG_CONFIGMAP));

        s.awaitApplied("app", revision);
        assertThat(s.object("v1", "ConfigMap", "on-gke")).isNotNull();
        assertThat(clouds.requests()).contains("POST /gcp-sts/v1/token",
                "POST /gcp-iam/v1/projects/-/serviceAccounts/" + email + ":generateAccessToken",
                "GET /gcp-container/v1/" + FakeClouds.GKE_CLUSTER);
    }

    @Test
    void anAksClusterIsReachedWithTheEntraApplicationOfTheConfigMapsServiceAccount() {
        var s = new KustomizationScenario("ks-aks");
        String clientId = "app-" + s.namespace;
        serviceAccount(s, "deployer", Map.of("azure.workload.identity/client-id", clientId,
                "azure.workload.identity/tenant-id", FakeClouds.AZURE_TENANT));
        clouds.federate(clientId, s.namespace, "deployer");
        allowConfigMaps(s, clientId);
        kubeconfigConfigMap(s, Map.of("provider", "azure", "cluster", FakeClouds.AKS_CLUSTER, "serviceAccountName", "deployer"));
        String revision = s.commit("repo", Map.of("cm.yaml", KustomizationScenario.configMap("on-aks", s.namespace, Map.of("a", "1"))));
        s.apply(KustomizationScenario.kustomization("app", "repo", "", KUBECONFIG_CONFIGMAP));

        s.awaitApplied("app", revision);
        assertThat(s.object("v1", "ConfigMap", "on-aks")).isNotNull();
        assertThat(clouds.requests()).contains("GET /arm" + FakeClouds.AKS_CLUSTER,
                "POST /arm" + FakeClouds.AKS_CLUSTER + "/listClusterUserCredential");
    }

    @Test
    void aFailingClusterLookupIsReportedAndKeepsWhatWasApplied() {
        var s = new KustomizationScenario("ks-eks-fail");
        allowConfigMaps(s, "arn:aws:iam::" + FakeClouds.ACCOUNT + ":user/kustomize-controller");
        kubeconfigConfigMap(s, Map.of("provider", "aws", "cluster", FakeClouds.EKS_ARN));
        String first = s.commit("repo", Map.of("cm.yaml", KustomizationScenario.configMap("kept", s.namespace, Map.of("a", "1"))));
        s.apply(KustomizationScenario.kustomization("app", "repo", "", KUBECONFIG_CONFIGMAP));
        s.awaitApplied("app", first);

        clouds.failClusterLookups("User is not authorized to perform: eks:DescribeCluster");
        try {
            String second = s.commit("repo", Map.of("other.yaml", KustomizationScenario.configMap("next", s.namespace, Map.of("b", "2"))));
            var k = s.await("app", x -> second.equals(x.getStatus() == null ? null : x.getStatus().getLastAttemptedRevision())
                    && "False".equals(KustomizationScenario.readyStatus(x)));
            String message = KustomizationScenario.condition(k, "Ready").orElseThrow().getMessage();
            assertThat(message).contains("KubeConfig configmap '" + s.namespace + "/cloud-cluster' (provider aws)")
                    .contains("EKS DescribeCluster answered 403: User is not authorized to perform: eks:DescribeCluster");
            assertThat(KustomizationScenario.condition(k, "Ready").orElseThrow().getReason()).isEqualTo("ReconciliationFailed");
            assertThat(s.events("app")).anySatisfy(e -> {
                assertThat(e.getType()).isEqualTo("Warning");
                assertThat(e.getMessage()).contains("eks:DescribeCluster");
            });
            assertThat(s.object("v1", "ConfigMap", "kept")).isNotNull();
            assertThat(s.object("v1", "ConfigMap", "next")).isNull();
        } finally {
            clouds.failClusterLookups(null);
        }
    }

    @Test
    void aServiceAccountTheRoleDoesNotTrustGetsStsAccessDenied() {
        var s = new KustomizationScenario("ks-eks-untrusted");
        serviceAccount(s, "intruder", Map.of("eks.amazonaws.com/role-arn", "arn:aws:iam::" + FakeClouds.ACCOUNT + ":role/someone-else"));
        kubeconfigConfigMap(s, Map.of("provider", "aws", "cluster", FakeClouds.EKS_ARN, "serviceAccountName", "intruder"));
        s.commit("repo", Map.of("cm.yaml", KustomizationScenario.configMap("never", s.namespace, Map.of("a", "1"))));
        s.apply(KustomizationScenario.kustomization("app", "repo", "", KUBECONFIG_CONFIGMAP));

        var k = s.awaitNotReady("app", "ReconciliationFailed");
        assertThat(KustomizationScenario.condition(k, "Ready").orElseThrow().getMessage())
                .contains("failed to assume the AWS role 'arn:aws:iam::" + FakeClouds.ACCOUNT + ":role/someone-else' with service account '"
                        + s.namespace + "/intruder'")
                .contains("Not authorized to perform sts:AssumeRoleWithWebIdentity");
        assertThat(s.object("v1", "ConfigMap", "never")).isNull();
    }

    private static final String KUBECONFIG_CONFIGMAP = """
            kubeConfig:
              configMapRef:
                name: cloud-cluster
            """;

    private static void kubeconfigConfigMap(KustomizationScenario s, Map<String, String> data) {
        s.client.configMaps().inNamespace(s.namespace).resource(new ConfigMapBuilder().withNewMetadata().withName("cloud-cluster")
                .endMetadata().addToData(data).build()).create();
    }

    private static void serviceAccount(KustomizationScenario s, String name, Map<String, String> annotations) {
        s.client.resource(new ServiceAccountBuilder().withNewMetadata().withName(name).withNamespace(s.namespace)
                .withAnnotations(annotations).endMetadata().build()).create();
    }

    /** Lets the user a cloud identity authenticates as manage ConfigMaps (only) in the namespace. */
    private static void allowConfigMaps(KustomizationScenario s, String user) {
        s.client.resource(new RoleBuilder().withNewMetadata().withName("configmaps").withNamespace(s.namespace).endMetadata()
                .addNewRule().withApiGroups("").withResources("configmaps").withVerbs("get", "list", "watch", "create", "update", "patch", "delete").endRule()
                .build()).create();
        s.client.resource(new RoleBindingBuilder().withNewMetadata().withName("cloud-identity").withNamespace(s.namespace).endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName("configmaps").endRoleRef()
                .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("User").withName(user).endSubject()
                .build()).create();
    }

    private static String caPem() {
        var config = ControlPlane.shared().client().getConfiguration();
        try {
            return config.getCaCertData() != null && !config.getCaCertData().isBlank()
                    ? new String(Base64.getDecoder().decode(config.getCaCertData()), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(config.getCaCertFile()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
