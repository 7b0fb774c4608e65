package io.currents.source;

import com.sun.net.httpserver.HttpServer;
import io.currents.api.source.v1.Bucket;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Provider options: LDAP STS credentials for a generic bucket work; options a provider cannot take stall with Flux's reasons. */
@QuarkusTest
@QuarkusTestResource(value = SourceControllerTestResource.class, restrictToAnnotatedClass = false)
class BucketProviderOptionsTest {

    @Test
    void ldapStsCredentialsAreExchangedForTemporaryKeysThatOpenTheBucket() throws Exception {
        AtomicReference<String> form = new AtomicReference<>();
        HttpServer sts = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        sts.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            form.set(URLDecoder.decode(body, StandardCharsets.UTF_8));
            boolean ok = body.contains("LDAPUsername=alice") && body.contains("LDAPPassword=wonder");
            byte[] answer = (ok ? """
                    <AssumeRoleWithLDAPIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                      <AssumeRoleWithLDAPIdentityResult><Credentials>
                        <AccessKeyId>%s</AccessKeyId><SecretAccessKey>%s</SecretAccessKey>
                        <SessionToken>session</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration>
                      </Credentials></AssumeRoleWithLDAPIdentityResult>
                    </AssumeRoleWithLDAPIdentityResponse>""".formatted(S3Server.ACCESS_KEY, S3Server.SECRET_KEY)
                    : "<ErrorResponse><Error><Message>LDAP bind failed</Message></Error></ErrorResponse>").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(ok ? 200 : 403, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        sts.start();
        try (S3Server server = S3Server.filesystem(false)) {
            server.createBucket("ldap-bucket");
            server.put("ldap-bucket", "a.yaml", "a: 1\n");
            var scenario = new BucketScenario("bucket-ldap");
            scenario.cluster.secret("ldap", Map.of("username", "alice", "password", "wonder"));
            scenario.cluster.apply(Bucket.class, """
                    apiVersion: source.toolkit.fluxcd.io/v1
                    kind: Bucket
                    metadata:
                      name: app
                    spec:
                      interval: 10m
                      timeout: 20s
                      bucketName: ldap-bucket
                      endpoint: %s
                      insecure: true
                      sts:
                        provider: ldap
                        endpoint: http://127.0.0.1:%d/
                        secretRef:
                          name: ldap
                    """.formatted(server.endpoint(), sts.getAddress().getPort()));
            Bucket ready = scenario.awaitReady("app");
            assertThat(BucketScenario.files(ready)).isEqualTo(Map.of("a.yaml", "a: 1\n"));
            assertThat(form.get()).contains("Action=AssumeRoleWithLDAPIdentity");

            scenario.cluster.secret("ldap", Map.of("username", "alice", "password", "wrong"));
            scenario.cluster.reconcileNow(Bucket.class, "app");
            Bucket refused = scenario.awaitNotReady("app", "BucketOperationFailed");
            assertThat(scenario.readyMessage(refused)).contains("LDAP bind failed").doesNotContain("wrong");
            assertThat(refused.getStatus().getArtifact().getRevision()).isEqualTo(ready.getStatus().getArtifact().getRevision());
        } finally {
            sts.stop(0);
        }
    }

    @Test
    void awsStsExchangesThePodsWebIdentityAtTheGivenEndpointForKeysThatOpenTheBucket() throws Exception {
        AtomicReference<String> form = new AtomicReference<>();
        HttpServer sts = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        sts.createContext("/", exchange -> {
            form.set(URLDecoder.decode(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), StandardCharsets.UTF_8));
            byte[] answer = """
                    <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                      <AssumeRoleWithWebIdentityResult><Credentials>
                        <AccessKeyId>%s</AccessKeyId><SecretAccessKey>%s</SecretAccessKey>
                        <SessionToken>web-session</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration>
                      </Credentials></AssumeRoleWithWebIdentityResult>
                    </AssumeRoleWithWebIdentityResponse>""".formatted(S3Server.ACCESS_KEY, S3Server.SECRET_KEY).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        sts.start();
        // the pod's IRSA environment, as the SDK also reads it from system properties
        java.nio.file.Path token = java.nio.file.Files.createTempFile("web-identity", ".jwt");
        java.nio.file.Files.writeString(token, "projected-service-account-token");
        System.setProperty("aws.roleArn", "arn:aws:iam::123456789012:role/bucket-reader");
        System.setProperty("aws.webIdentityTokenFile", token.toString());
        try (S3Server server = S3Server.filesystem(false)) {
            server.createBucket("irsa-bucket");
            server.put("irsa-bucket", "a.yaml", "a: 1\n");
            var scenario = new BucketScenario("bucket-aws-sts");
            scenario.cluster.apply(Bucket.class, """
                    apiVersion: source.toolkit.fluxcd.io/v1
                    kind: Bucket
                    metadata:
                      name: app
                    spec:
                      interval: 10m
                      timeout: 20s
                      provider: aws
                      region: eu-west-1
                      bucketName: irsa-bucket
                      endpoint: %s
                      insecure: true
                      sts:
                        provider: aws
                        endpoint: http://127.0.0.1:%d/
                    """.formatted(server.endpoint(), sts.getAddress().getPort()));
            Bucket ready = scenario.awaitReady("app");
            assertThat(BucketScenario.files(ready)).isEqualTo(Map.of("a.yaml", "a: 1\n"));
            assertThat(form.get()).contains("Action=AssumeRoleWithWebIdentity")
                    .contains("RoleArn=arn:aws:iam::123456789012:role/bucket-reader")
                    .contains("WebIdentityToken=projected-service-account-token");
        } finally {
            System.clearProperty("aws.roleArn");
            System.clearProperty("aws.webIdentityTokenFile");
            sts.stop(0);
        }
    }

    @Test
    void optionsTheProviderCannotTakeStallWithTheOptionNamed() throws Exception {
        var scenario = new BucketScenario("bucket-options");
        scenario.cluster.apply(Bucket.class, bucket("wrong-sts", "generic", "sts:\n  provider: aws\n  endpoint: https://sts.example.com\n"));
        scenario.cluster.apply(Bucket.class, bucket("sa-generic", "generic", "serviceAccountName: reader\n"));
        scenario.cluster.apply(Bucket.class, bucket("sa-aws", "aws", "serviceAccountName: reader\n"));
        scenario.cluster.apply(Bucket.class, bucket("gcs-sts", "gcp", "sts:\n  provider: aws\n  endpoint: https://sts.example.com\n"));
        scenario.cluster.apply(Bucket.class, bucket("sa-azure", "azure", "serviceAccountName: reader\n"));

        assertThat(stalled(scenario, "wrong-sts")).isEqualTo("InvalidSTSConfiguration");
        assertThat(stalled(scenario, "sa-generic")).isEqualTo("InvalidProviderConfiguration");
        assertThat(stalled(scenario, "sa-aws")).isEqualTo("FeatureGateDisabled");
        assertThat(stalled(scenario, "gcs-sts")).isEqualTo("InvalidSTSConfiguration");
        assertThat(scenario.readyMessage(scenario.cluster.get(Bucket.class, "gcs-sts"))).contains("'aws' and 'generic'");
        assertThat(stalled(scenario, "sa-azure")).isEqualTo("FeatureGateDisabled");
    }

    private static String stalled(BucketScenario scenario, String name) {
        Bucket b = scenario.cluster.await(Bucket.class, name, r -> "True".equals(SourceScenario.status(r, "Stalled")));
        return SourceScenario.condition(b, "Ready").orElseThrow().getReason();
    }

    private static String bucket(String name, String provider, String extra) {
        return """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: Bucket
                metadata:
                  name: %s
                spec:
                  interval: 10m
                  provider: %s
                  bucketName: some-bucket
                  endpoint: 127.0.0.1:1
                %s""".formatted(name, provider, extra.indent(2));
    }
}
