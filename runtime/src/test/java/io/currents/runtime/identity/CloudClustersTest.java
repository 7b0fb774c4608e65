package io.currents.runtime.identity;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pure parts of managed-cluster access: the shape of EKS tokens and which addresses a token may go to. */
class CloudClustersTest {

    @Test
    void anEksTokenIsAPresignedGetCallerIdentityUrlSignedForTheClusterHeader() {
        String token = CloudClusters.eksToken(AwsBasicCredentials.create("AKIAEXAMPLE000000000", "secret"), "eu-west-1", "prod");

        assertThat(token).startsWith("k8s-aws-v1.").doesNotContain("=").doesNotContain("+").doesNotContain("/");
        URI url = URI.create(new String(Base64.getUrlDecoder().decode(token.substring(11)), StandardCharsets.UTF_8));
        assertThat(url.getHost()).isEqualTo("sts.eu-west-1.amazonaws.com");
        assertThat(url.getQuery()).contains("Action=GetCallerIdentity", "Version=2011-06-15", "X-Amz-Algorithm=AWS4-HMAC-SHA256",
                "X-Amz-Credential=AKIAEXAMPLE000000000/", "/eu-west-1/sts/aws4_request", "X-Amz-Expires=60", "X-Amz-Signature=");
        assertThat(url.getQuery()).containsPattern("X-Amz-SignedHeaders=[^&]*x-k8s-aws-id").doesNotContain("secret");
    }

    @Test
    void aTokenIsOnlySentToHttpsAddresses() throws IOException {
        assertThat(CloudClusters.canonical("https://Example.org")).isEqualTo("https://example.org:443");
        assertThat(CloudClusters.canonical("10.0.0.1:6443")).isEqualTo("https://10.0.0.1:6443");
        assertThatThrownBy(() -> CloudClusters.canonical("http://example.org")).hasMessageContaining("must be https");
    }
}
