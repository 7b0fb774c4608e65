package io.currents.source;

import io.currents.api.source.v1.Bucket;
import io.currents.testkit.git.HttpProxyServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** proxySecretRef: the S3 requests of a Bucket go through the proxy of its Secret, with the proxy's credentials. */
@QuarkusTest
@QuarkusTestResource(value = SourceControllerTestResource.class, restrictToAnnotatedClass = false)
class BucketProxyTest {

    @Test
    void theBucketIsFetchedThroughTheProxyOfItsSecret() throws Exception {
        try (S3Server server = S3Server.filesystem(false); HttpProxyServer proxy = HttpProxyServer.start("proxy-user", "proxy-pass")) {
            server.createBucket("proxied");
            server.put("proxied", "a.yaml", "a: 1\n");
            var scenario = new BucketScenario("bucket-proxy");
            scenario.cluster.secret("proxy", Map.of("address", proxy.address(), "username", "proxy-user", "password", "proxy-pass"));
            scenario.apply("app", server, "proxied", "proxySecretRef:\n  name: proxy\n");

            Bucket ready = scenario.awaitReady("app");
            assertThat(BucketScenario.files(ready)).isEqualTo(Map.of("a.yaml", "a: 1\n"));
            assertThat(proxy.requests()).anyMatch(r -> r.startsWith("GET http://" + server.endpoint() + "/proxied/a.yaml"));
        }
    }
}
