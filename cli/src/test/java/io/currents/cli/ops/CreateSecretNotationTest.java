package io.currents.cli.ops;

import io.currents.cli.output.ExitCodes;
import io.fabric8.kubernetes.api.model.Secret;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code create secret notation}: flux's Secret of root CA certificates and a Notation trust policy, and its refusals. */
class CreateSecretNotationTest {

    static final String POLICY = """
            {
              "version": "1.0",
              "trustPolicies": [
                {
                  "name": "fluxcd.io",
                  "registryScopes": ["*"],
                  "signatureVerification": {"level": "strict"},
                  "trustStores": ["ca:fluxcd.io"],
                  "trustedIdentities": ["*"]
                }
              ]
            }
            """;
    static final String CERT = "-----BEGIN CERTIFICATE-----\nMIIBhTCCASugAwIBAgIUJ0n7\n-----END CERTIFICATE-----\n";

    private static Path file(Path dir, String name, String content) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    @Test
    void exportWritesEachCertificateUnderItsFileNameAndTheTrustPolicy(@TempDir Path tmp) throws Exception {
        Path policy = file(tmp, "trust-policy.json", POLICY);
        Cli.Run r = Cli.run("create", "secret", "notation", "notation-config", "--ca-cert-file=" + file(tmp, "ca.crt", CERT),
                "--ca-cert-file=" + file(tmp, "other.pem", CERT), "--trust-policy-file=" + policy, "-n", "my-namespace", "--export");
        assertThat(r.code()).as(r.err()).isZero();
        Cli.assertGolden("create/secret-notation.yaml", r.out());
        assertThat(r.out()).contains("ca.crt: |", "other.pem: |", "trustpolicy.json: |");
    }

    @Test
    void badInputIsRefusedAsFluxRefusesIt(@TempDir Path tmp) throws Exception {
        Path policy = file(tmp, "trust-policy.json", POLICY);
        Path crt = file(tmp, "ca.crt", CERT);
        assertRefused("✗ --trust-policy-file is required", "--ca-cert-file=" + crt);
        assertRefused("✗ --ca-cert-file is required", "--trust-policy-file=" + policy);
        assertRefused("✗ ca.p12 must end with either .crt or .pem", "--ca-cert-file=" + file(tmp, "ca.p12", CERT),
                "--trust-policy-file=" + policy);
        assertRefused("✗ invalid trust policy: trust policy: a trust policy statement is missing a name, every statement requires a name",
                "--ca-cert-file=" + crt, "--trust-policy-file=" + file(tmp, "noname.json", POLICY.replace("\"name\": \"fluxcd.io\",", "")));
        assertRefused("✗ invalid trust policy: trust policy: trust policy statement \"fluxcd.io\" uses invalid signatureVerification value"
                + " \"lenient\"", "--ca-cert-file=" + crt, "--trust-policy-file=" + file(tmp, "level.json", POLICY.replace("strict", "lenient")));
        assertRefused("✗ invalid trust policy: trust policy: trust policy statement \"fluxcd.io\" is either missing trust stores or trusted"
                + " identities, both must be specified", "--ca-cert-file=" + crt,
                "--trust-policy-file=" + file(tmp, "stores.json", POLICY.replace("[\"ca:fluxcd.io\"]", "[]")));
        Cli.Run json = Cli.run("create", "secret", "notation", "n", "--ca-cert-file=" + crt,
                "--trust-policy-file=" + file(tmp, "string.json", "\"a string\""), "--export");
        assertThat(json.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(json.err()).startsWith("✗ failed to unmarshal trust policy " + tmp.resolve("string.json"));
        Cli.Run noName = Cli.run("create", "secret", "notation", "--ca-cert-file=" + crt, "--trust-policy-file=" + policy, "--export");
        assertThat(noName.code()).isEqualTo(ExitCodes.USAGE);
    }

    private static void assertRefused(String message, String... flags) {
        String[] args = new String[5 + flags.length];
        System.arraycopy(new String[] {"create", "secret", "notation", "notation-config", "--export"}, 0, args, 0, 5);
        System.arraycopy(flags, 0, args, 5, flags.length);
        Cli.Run r = Cli.run(args);
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith(message);
    }

    @Tag("cluster")
    @Test
    void createAppliesTheSecretInTheNamespace(@TempDir Path tmp) throws Exception {
        String ns = Cluster.namespace("notation");
        Cli.Run r = Cluster.run(ns, "create", "secret", "notation", "notation-config", "--ca-cert-file=" + file(tmp, "ca.crt", CERT),
                "--trust-policy-file=" + file(tmp, "trust-policy.json", POLICY));
        assertThat(r.code()).as(r.err()).isZero();
        Secret secret = Cluster.client().secrets().inNamespace(ns).withName("notation-config").get();
        assertThat(secret.getData()).containsOnlyKeys("ca.crt", "trustpolicy.json");
        assertThat(new String(Base64.getDecoder().decode(secret.getData().get("trustpolicy.json")), StandardCharsets.UTF_8)).isEqualTo(POLICY);
    }
}
