package io.currents.git;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Flux's Git Secret layout: which keys count for which URL, and what is written back. */
class GitSecretTest {

    private static final String SECRET = "secret 'ns/git'";

    @Test
    void anSshUrlTakesTheIdentityItsPassphraseAndKnownHosts() throws Exception {
        GitAuth auth = GitSecret.auth("ssh://git@example.com/org/repo", Map.of("identity", "KEY", "password", "phrase",
                "known_hosts", "example.com ssh-ed25519 AAAA", "username", "ignored"), SECRET);

        assertThat(new String(auth.privateKey(), StandardCharsets.UTF_8)).isEqualTo("KEY");
        assertThat(auth.passphrase()).isEqualTo("phrase");
        assertThat(auth.knownHosts()).isEqualTo("example.com ssh-ed25519 AAAA");
        assertThat(auth.username()).isNull();
        assertThat(auth.password()).isNull();
        assertThatThrownBy(() -> GitSecret.auth("ssh://git@example.com/org/repo", Map.of("known_hosts", "x"), SECRET))
                .isInstanceOfSatisfying(GitException.class, e -> assertThat(e.reason()).isEqualTo(GitException.AUTHENTICATION_FAILED))
                .hasMessage(SECRET + " has no 'identity' key for SSH authentication");
    }

    @Test
    void overHttpsABearerTokenWinsOverBasicAuthenticationAndTheTlsKeysApplyToBoth() throws Exception {
        GitAuth bearer = GitSecret.auth("https://example.com/repo", Map.of("bearerToken", "tok", "username", "u", "password", "p",
                "ca.crt", "CA", "tls.crt", "CERT", "tls.key", "KEY"), SECRET);
        assertThat(bearer.bearerToken()).isEqualTo("tok");
        assertThat(bearer.username()).isNull();
        assertThat(bearer.tls()).isEqualTo(new GitTls("CA", "CERT", "KEY"));

        GitAuth basic = GitSecret.auth("https://example.com/repo", Map.of("username", "u", "password", "p", "caFile", "OLD"), SECRET);
        assertThat(basic.username()).isEqualTo("u");
        assertThat(basic.password()).isEqualTo("p");
        assertThat(basic.tls().caCertificates()).isEqualTo("OLD");
        assertThat(GitSecret.auth("https://example.com/repo", Map.of("ca.crt", "NEW", "caFile", "OLD"), SECRET).tls().caCertificates())
                .isEqualTo("NEW");
    }

    @Test
    void aPasswordWithoutAUsernameIsRefused() {
        assertThatThrownBy(() -> GitSecret.auth("https://example.com/repo", Map.of("password", "p"), SECRET))
                .hasMessage(SECRET + " has a 'password' but no 'username': basic authentication needs both");
    }

    @Test
    void aProxySecretNeedsAnAddress() throws Exception {
        assertThat(GitSecret.proxy(Map.of("address", "http://proxy:3128", "username", "u", "password", "p"), SECRET))
                .isEqualTo(new GitProxy("http://proxy:3128", "u", "p"));
        assertThatThrownBy(() -> GitSecret.proxy(Map.of("username", "u"), SECRET))
                .hasMessage("invalid proxy " + SECRET + ": key 'address' is missing");
    }

    @Test
    void theDataWrittenForCredentialsReadsBackTheSame() throws Exception {
        GitAuth ssh = GitAuth.ssh("KEY".getBytes(StandardCharsets.UTF_8), "phrase", "host ssh-ed25519 AAAA\n");
        Map<String, String> data = GitSecret.data(ssh, "ssh-ed25519 AAAA me");
        assertThat(data).containsOnlyKeys("identity", "identity.pub", "known_hosts", "password")
                .containsEntry("identity.pub", "ssh-ed25519 AAAA me\n");
        assertThat(GitSecret.auth("ssh://git@host/repo", data, SECRET).passphrase()).isEqualTo("phrase");

        GitAuth https = GitAuth.basic("u", "p").withTls(new GitTls("CA", null, null));
        assertThat(GitSecret.data(https, null)).containsExactly(Map.entry("username", "u"), Map.entry("password", "p"), Map.entry("ca.crt", "CA"));
        assertThat(GitSecret.auth("https://host/repo", GitSecret.data(https, null), SECRET)).satisfies(a -> {
            assertThat(a.username()).isEqualTo("u");
            assertThat(a.tls().caCertificates()).isEqualTo("CA");
        });
    }
}
