package io.currents.oci;

import io.currents.testkit.registry.OciRegistry;
import io.currents.testkit.registry.TestCertificates;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client authenticates as each kind of registry asks, and says clearly when it cannot. */
class RegistryAuthenticationTest {

    @Test
    void basicAuthenticationWithTheRightPasswordResolvesAndAWrongOneFails() throws Exception {
        try (OciRegistry registry = OciRegistry.start("bot", "right")) {
            String digest = registry.push("team/app", "v1");
            OciReference ref = OciReference.parse("oci://" + registry.host() + "/team/app").withTag("v1");
            OciClient good = OciClient.builder().plainHttp(true).credentials(new RegistryCredentials("bot", "right")).build();
            assertThat(good.resolve(ref).digest()).isEqualTo(digest);

            OciClient bad = OciClient.builder().plainHttp(true).credentials(new RegistryCredentials("bot", "wrong")).build();
            assertThatThrownBy(() -> bad.resolve(ref)).isInstanceOf(OciException.class)
                    .hasMessageContaining("authentication to " + registry.host() + " failed").hasMessageNotContaining("wrong")
                    .satisfies(e -> assertThat(((OciException) e).kind()).isEqualTo(OciException.Kind.AUTHENTICATION));
            OciClient anonymous = OciClient.builder().plainHttp(true).build();
            assertThatThrownBy(() -> anonymous.manifest(ref)).hasMessageContaining("no credentials given");
        }
    }

    @Test
    void bearerTokensAreFetchedFromTheRealmTheRegistryNames() throws Exception {
        try (OciRegistry registry = OciRegistry.startWithTokenAuth("bot", "right")) {
            String digest = registry.push("team/app", "v1");
            OciReference ref = OciReference.parse("oci://" + registry.host() + "/team/app").withTag("v1");
            OciClient client = OciClient.builder().plainHttp(true).credentials(new RegistryCredentials("bot", "right")).build();
            int before = registry.tokensIssued();
            assertThat(client.manifest(ref).digest()).isEqualTo(digest);
            assertThat(client.tags(ref)).containsExactly("v1");
            assertThat(registry.tokensIssued() - before).as("one token for the repository's pull scope, reused").isEqualTo(1);

            OciClient bad = OciClient.builder().plainHttp(true).credentials(new RegistryCredentials("bot", "wrong")).build();
            assertThatThrownBy(() -> bad.resolve(ref)).hasMessageContaining("token service refused the credentials");
        }
    }

    @Test
    void anHttpsRegistryIsTrustedThroughItsCaAndRefusedWithoutIt() throws Exception {
        try (OciRegistry registry = OciRegistry.startTls()) {
            String digest = registry.push("team/app", "v1");
            OciReference ref = OciReference.parse("oci://" + registry.host() + "/team/app").withTag("v1");
            OciClient trusting = OciClient.builder().sslContext(TestCertificates.trusting(registry.caPem())).build();
            assertThat(trusting.resolve(ref).digest()).isEqualTo(digest);
            assertThatThrownBy(() -> OciClient.builder().build().resolve(ref)).hasMessageContaining("TLS handshake failed");
        }
    }

    @Test
    void anUnreachableRegistryIsATransportError() throws Exception {
        OciReference ref = OciReference.parse("oci://127.0.0.1:1/team/app");
        assertThatThrownBy(() -> OciClient.builder().plainHttp(true).build().resolve(ref)).isInstanceOf(OciException.class)
                .satisfies(e -> assertThat(((OciException) e).kind()).isEqualTo(OciException.Kind.TRANSPORT));
    }
}
