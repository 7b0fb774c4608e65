package io.currents.source;

import io.currents.api.source.v1.OCIRepository;
import io.currents.oci.RegistryCredentials;
import io.currents.testkit.registry.OciRegistry;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** OCIRepository authenticates with docker config Secrets, service account pull secrets and a custom CA. */
@QuarkusTest
@QuarkusTestResource(value = SourceControllerTestResource.class, restrictToAnnotatedClass = false)
class OCIRepositoryAuthTest {

    @Test
    void aDockerConfigSecretGetsATokenAndAWrongPasswordFailsAuthentication() throws Exception {
        try (OciRegistry registry = OciRegistry.startWithTokenAuth("bot", "right")) {
            var s = new OCIRepositoryScenario("oci-token", registry, new RegistryCredentials("bot", "right"));
            String digest = s.push("private/app", "v1", Map.of("a.yaml", "a: 1\n"));
            s.cluster.secret("creds", Map.of(".dockerconfigjson", dockerConfig(registry.host(), "bot", "right")));
            s.cluster.secret("wrong", Map.of(".dockerconfigjson", dockerConfig(registry.host(), "bot", "nope-s3cret")));
            s.apply("app", "private/app", "insecure: true\nref:\n  tag: v1\nsecretRef:\n  name: creds\n");
            s.apply("wrong", "private/app", "insecure: true\nref:\n  tag: v1\nsecretRef:\n  name: wrong\n");
            s.apply("anonymous", "private/app", "insecure: true\nref:\n  tag: v1\n");

            assertThat(s.awaitReady("app").getStatus().getArtifact().getRevision()).isEqualTo("v1@" + digest);
            OCIRepository wrong = s.awaitNotReady("wrong", "AuthenticationFailed");
            assertThat(s.readyMessage(wrong)).contains("token service refused the credentials").doesNotContain("nope-s3cret");
            assertThat(s.cluster.events("wrong")).allSatisfy(e -> assertThat(e.getMessage()).doesNotContain("nope-s3cret"));
            assertThat(s.readyMessage(s.awaitNotReady("anonymous", "AuthenticationFailed"))).contains("no credentials given");
        }
    }

    @Test
    void theImagePullSecretsOfTheServiceAccountAreUsed() throws Exception {
        try (OciRegistry registry = OciRegistry.start("bot", "right")) {
            var s = new OCIRepositoryScenario("oci-sa", registry, new RegistryCredentials("bot", "right"));
            s.push("private/app", "v1", Map.of("a.yaml", "a: 1\n"));
            s.cluster.secret("pull", Map.of(".dockerconfigjson", dockerConfig(registry.host(), "bot", "right")));
            s.cluster.client.serviceAccounts().inNamespace(s.cluster.namespace).resource(new ServiceAccountBuilder()
                    .withNewMetadata().withName("puller").endMetadata().addNewImagePullSecret("pull").build()).create();
            s.apply("app", "private/app", "insecure: true\nref:\n  tag: v1\nserviceAccountName: puller\n");

            assertThat(s.awaitReady("app").getStatus().getArtifact()).isNotNull();
        }
    }

    @Test
    void anHttpsRegistryIsTrustedThroughTheCaOfCertSecretRef() throws Exception {
        try (OciRegistry registry = OciRegistry.startTls()) {
            var s = new OCIRepositoryScenario("oci-tls", registry);
            s.push("tls/app", "v1", Map.of("a.yaml", "a: 1\n"));
            s.cluster.secret("ca", Map.of("ca.crt", registry.caPem()));
            s.apply("app", "tls/app", "ref:\n  tag: v1\ncertSecretRef:\n  name: ca\n");
            s.apply("untrusted", "tls/app", "ref:\n  tag: v1\n");

            assertThat(s.awaitReady("app").getStatus().getArtifact()).isNotNull();
            assertThat(s.readyMessage(s.awaitNotReady("untrusted", "OCIArtifactPullFailed"))).contains("TLS");
        }
    }

    static String dockerConfig(String host, String user, String password) {
        String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return "{\"auths\":{\"" + host + "\":{\"auth\":\"" + auth + "\"}}}";
    }
}
