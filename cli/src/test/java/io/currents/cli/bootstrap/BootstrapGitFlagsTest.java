package io.currents.cli.bootstrap;

import io.currents.cli.CommandResult;
import io.currents.cli.Currents;
import io.currents.cli.output.ExitCodes;
import io.currents.testkit.ControlPlane;
import io.currents.testkit.git.GitHttpServer;
import io.currents.testkit.git.GitSshServer;
import io.currents.testkit.git.GpgKey;
import io.currents.testkit.git.SshKeyPair;
import io.currents.testkit.git.TestRepo;
import io.currents.testkit.registry.TestCertificates;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.jcajce.JcaPGPPublicKeyRingCollection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * The {@code bootstrap git} flags beyond URL and credentials, each against the real Git servers and the shared control
 * plane: a generated deploy key (--ssh-key-algorithm, the prompt, --silent, --ssh-hostname), sync options
 * (--secret-name, --recurse-submodules, --sparse-checkout), transport options (--allow-insecure-http,
 * --with-bearer-token, --token-auth, --ca-file) and a signed commit (--gpg-key-ring, --gpg-key-id, --gpg-passphrase).
 */
@Tag("cluster")
class BootstrapGitFlagsTest {

    @TempDir
    Path root;
    TestRepo repo;
    ProviderFixture git;

    @BeforeEach
    void start() throws Exception {
        git = new ProviderFixture(root, "git-user", "s3cret");
        repo = git.repo;
    }

    @AfterEach
    void stop() {
        git.close();
    }

    @Test
    void aGeneratedDeployKeyIsPrintedAndUsedOnceThePersonHasGivenItAccess() throws Exception {
        String ns = "boot-genkey";
        GitSshServer ssh = git.ssh;
        // the person reads the printed key, adds it to the repository, then answers y
        CommandResult r = runAnswering(err -> {
            Matcher key = Pattern.compile("✔ public key: (\\S+ \\S+)").matcher(err);
            assertThat(key.find()).as(err).isTrue();
            ssh.authorize(key.group(1));
            return "y\n";
        }, "bootstrap", "git", "--url", git.sshUrl(), "--ssh-hostname", "localhost:" + ssh.port(), "-n", ns,
                "--local-controllers", "--timeout", "3s");

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.TIMEOUT);
        assertThat(r.err()).contains("✔ public key: ecdsa-sha2-nistp384 ", "Please give the key access to your repository [y/N] ",
                "✔ pushed component manifests");
        Map<String, String> secret = git.secret(ns, ns);
        assertThat(secret).containsOnlyKeys("identity", "identity.pub", "known_hosts");
        assertThat(secret.get("known_hosts")).as("--ssh-hostname: the host the cluster syncs from is scanned")
                .startsWith("[localhost]:" + ssh.port() + " ssh-ed25519 ");
        String sync = git.read(repo.head("main"), ns + "/currents-sync.yaml");
        assertThat(sync).contains("  url: " + git.sshUrl().replace("@127.0.0.1:", "@localhost:") + "\n");

        // a rerun pushes with the key kept in the Secret and asks nothing
        CommandResult again = runAnswering(err -> "", "bootstrap", "git", "--url", git.sshUrl(),
                "--ssh-hostname", "localhost:" + ssh.port(), "-n", ns, "--local-controllers", "--timeout", "3s");
        assertThat(again.code()).as(again.toString()).isEqualTo(ExitCodes.TIMEOUT);
        assertThat(again.err()).contains("✔ using the deploy key in Secret " + ns + "/" + ns, "✔ component manifests are up to date",
                "✔ source secret " + ns + "/" + ns + " up to date").doesNotContain("Please give");
        assertThat(git.secret(ns, ns)).isEqualTo(secret);
    }

    @Test
    void withSilentNothingIsAskedAndNoStopsTheBootstrap() {
        CommandResult silent = runAnswering(err -> {
            throw new AssertionError("--silent must not read standard input");
        }, "bootstrap", "git", "--url", git.sshUrl(), "--silent", "--ssh-key-algorithm", "ed25519", "-n", "boot-silent", "--timeout", "10s");
        // the key was never added to the server: the push is refused, with the key printed for the person
        assertThat(silent.code()).as(silent.toString()).isEqualTo(ExitCodes.FAILURE);
        assertThat(silent.err()).contains("✔ public key: ssh-ed25519 ").doesNotContain("Please give")
                .contains("✗ cannot read the Git repository: ");

        CommandResult no = runAnswering(err -> "n\n", "bootstrap", "git", "--url", git.sshUrl(), "-n", "boot-no");
        assertThat(no.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(no.err()).endsWith("Please give the key access to your repository [y/N] ✗ aborting\n");
        assertThat(repo.head("main")).isNull();
    }

    @Test
    void secretNameSubmodulesAndSparseCheckoutGoIntoTheGitRepository() throws Exception {
        String ns = "boot-sync-opts";
        try (GitHttpServer http = GitHttpServer.builder(root).basicAuth("git-user", "s3cret").start()) {
            CommandResult r = CommandResult.onCluster("bootstrap", "git", "--url", http.url(repo), "--username", "git-user",
                    "--password", "s3cret", "--allow-insecure-http", "--path", "clusters/prod", "--secret-name", "fleet-auth",
                    "--recurse-submodules", "--sparse-checkout", "clusters/prod,apps", "-n", ns, "--local-controllers", "--timeout", "3s");
            assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.TIMEOUT);
            assertThat(git.read(repo.head("main"), "clusters/prod/" + ns + "/currents-sync.yaml")).startsWith("""
                    ---
                    apiVersion: source.toolkit.fluxcd.io/v1
                    kind: GitRepository
                    metadata:
                      name: %1$s
                      namespace: %1$s
                    spec:
                      interval: 1m0s
                      recurseSubmodules: true
                      ref:
                        branch: main
                      secretRef:
                        name: fleet-auth
                      sparseCheckout:
                      - clusters/prod
                      - apps
                      url: %2$s
                    ---
                    """.formatted(ns, http.url(repo)));
            assertThat(git.secret(ns, "fleet-auth")).containsEntry("username", "git-user").containsEntry("password", "s3cret");
            assertThat(git.secret(ns, ns)).isNull();
        }
        CommandResult outside = CommandResult.run("bootstrap", "git", "--url", "https://example.com/x.git", "--path", "clusters/prod",
                "--sparse-checkout", "apps");
        assertThat(outside.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(outside.err()).isEqualTo("✗ --path clusters/prod must be one of the --sparse-checkout directories [apps]\n");
    }

    @Test
    void credentialsOverPlainHttpNeedAllowInsecureHttpAndABearerTokenGoesIntoTheSecretAsSuch() {
        String ns = "boot-bearer";
        try (GitHttpServer http = GitHttpServer.builder(root).bearerToken("tok-123").start()) {
            CommandResult refused = CommandResult.run("bootstrap", "git", "--url", http.url(repo), "--with-bearer-token", "--password", "tok-123");
            assertThat(refused.code()).isEqualTo(ExitCodes.USAGE);
            assertThat(refused.err()).isEqualTo("✗ scheme http is insecure, pass --allow-insecure-http=true to allow it\n");

            CommandResult r = CommandResult.onCluster("bootstrap", "git", "--url", http.url(repo), "--with-bearer-token",
                    "--password", "tok-123", "--allow-insecure-http", "-n", ns, "--local-controllers", "--timeout", "3s");
            assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.TIMEOUT);
            assertThat(git.secret(ns, ns)).containsOnlyKeys("bearerToken").containsEntry("bearerToken", "tok-123");
        }
    }

    @Test
    void tokenAuthAsksForThePasswordAndCaFileTrustsAPrivateCa() {
        String ns = "boot-https";
        List<String> args = new ArrayList<>(List.of("bootstrap", "git", "--url", git.httpsUrl(), "--username", "git-user", "--token-auth",
                "-n", ns, "--local-controllers", "--timeout", "3s", "--kubeconfig", ControlPlane.shared().kubeconfigPath().toString()));
        CommandResult untrusted = runAnswering(err -> "s3cret\n", args.toArray(String[]::new));
        assertThat(untrusted.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(untrusted.err()).startsWith("Please enter your Git repository password: \n").contains("✗ cannot read the Git repository: ");

        args.addAll(List.of("--ca-file", git.caFile.toString()));
        CommandResult r = runAnswering(err -> "s3cret\n", args.toArray(String[]::new));
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.TIMEOUT);
        assertThat(git.secret(ns, ns)).containsOnlyKeys("username", "password", "ca.crt").containsEntry("password", "s3cret")
                .containsEntry("ca.crt", git.certificates.caCertificatePem());
    }

    @Test
    void theCommitIsSignedWithTheChosenKeyOfTheKeyRing() throws Exception {
        String ns = "boot-signed";
        try (GpgKey other = GpgKey.generate("Other <other@example.com>", "ed25519", "");
             GpgKey bot = GpgKey.generate("Bot <bot@example.com>", "ed25519", "bot-pass");
             GitHttpServer http = GitHttpServer.start(root)) {
            Path ring = Files.writeString(root.resolve("ring.asc"), other.armoredSecretKey() + bot.armoredSecretKey());
            String botId = keyId(bot.armoredPublicKey());
            List<String> args = List.of("bootstrap", "git", "--url", http.url(repo), "-n", ns, "--local-controllers", "--timeout", "3s",
                    "--gpg-key-ring", ring.toString(), "--gpg-key-id", botId);

            CommandResult noPassphrase = CommandResult.onCluster(args.toArray(String[]::new));
            assertThat(noPassphrase.code()).isEqualTo(ExitCodes.USAGE);
            assertThat(noPassphrase.err()).isEqualTo("✗ the OpenPGP key " + botId + " is protected by a passphrase: pass it with --gpg-passphrase\n");
            CommandResult unknown = CommandResult.onCluster("bootstrap", "git", "--url", http.url(repo), "-n", ns,
                    "--gpg-key-ring", ring.toString(), "--gpg-key-id", "0123456789ABCDEF");
            assertThat(unknown.err()).isEqualTo("✗ no key with id 0123456789ABCDEF in the OpenPGP key ring " + ring + "\n");

            List<String> signed = new ArrayList<>(args);
            signed.addAll(List.of("--gpg-passphrase", "bot-pass"));
            CommandResult r = CommandResult.onCluster(signed.toArray(String[]::new));
            assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.TIMEOUT);
            String head = repo.head("main");
            assertThat(bot.verifyCommit(repo.path(), head)).contains("GOODSIG " + botId);
            assertThatCode(() -> other.verifyCommit(repo.path(), head)).as("signed by the chosen key only").isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void theCommitIsSignedWithAnSshKeyOrTheReusedTransportKey() throws Exception {
        SshKeyPair signing = SshKeyPair.generate("ed25519", "sign-pass", false);
        Path signingFile = Files.write(root.resolve("signing"), signing.privateKey());
        try (GitHttpServer http = GitHttpServer.start(root)) {
            CommandResult r = CommandResult.onCluster("bootstrap", "git", "--url", http.url(repo), "-n", "boot-sshsign", "--local-controllers",
                    "--timeout", "3s", "--ssh-signing-key-file", signingFile.toString(), "--ssh-signing-password", "sign-pass");
            assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.TIMEOUT);
            assertThat(verifySsh(repo.head("main"), signing.publicKey())).contains("Good \"git\" signature");
        }
        SshKeyPair transport = SshKeyPair.ed25519();
        Path transportFile = Files.write(root.resolve("transport"), transport.privateKey());
        git.ssh.authorize(transport.publicKey());
        CommandResult reuse = CommandResult.onCluster("bootstrap", "git", "--url", git.sshUrl(), "--private-key-file", transportFile.toString(),
                "--ssh-signing-reuse-private-key", "--path", "other", "-n", "boot-sshsign", "--local-controllers", "--timeout", "3s");
        assertThat(reuse.code()).as(reuse.toString()).isEqualTo(ExitCodes.TIMEOUT);
        assertThat(verifySsh(repo.head("main"), transport.publicKey())).contains("Good \"git\" signature");

        assertThat(CommandResult.run("bootstrap", "git", "--url", git.sshUrl(), "--ssh-signing-reuse-private-key").err())
                .isEqualTo("✗ --ssh-signing-reuse-private-key requires --private-key-file\n");
        assertThat(CommandResult.run("bootstrap", "git", "--url", git.sshUrl(), "--ssh-signing-key-file", signingFile.toString(),
                "--gpg-key-ring", signingFile.toString()).err())
                .isEqualTo("✗ --gpg-* and --ssh-signing-* are mutually exclusive; pick one signing format\n");
        assertThat(CommandResult.run("bootstrap", "github", "--owner", "o", "--repository", "r", "--ssh-signing-reuse-private-key").err())
                .startsWith("✗ --ssh-signing-reuse-private-key is not supported by 'bootstrap github'");
    }

    /** {@code git verify-commit} with {@code publicKey} as the only allowed signer. */
    private String verifySsh(String commit, String publicKey) throws Exception {
        Path allowed = Files.writeString(root.resolve("allowed_signers"), "* " + publicKey + "\n");
        Process p = new ProcessBuilder("git", "--git-dir", repo.path().toString(), "-c", "gpg.format=ssh", "-c",
                "gpg.ssh.allowedSignersFile=" + allowed, "verify-commit", commit).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(output).isZero();
        return output;
    }

    @Test
    void badKeyFlagsAreUsageErrors() {
        assertThat(CommandResult.run("bootstrap", "git", "--url", "ssh://git@example.com/x.git", "--ssh-key-algorithm", "dsa").err())
                .isEqualTo("✗ unsupported --ssh-key-algorithm 'dsa': use rsa, ecdsa or ed25519\n");
        assertThat(CommandResult.run("bootstrap", "git", "--url", "ssh://git@example.com/x.git", "--ssh-rsa-bits", "1000").err())
                .isEqualTo("✗ --ssh-rsa-bits must be between 1024 and 8192 and a multiple of 8, got 1000\n");
        assertThat(CommandResult.run("bootstrap", "git", "--url", "ssh://git@example.com/x.git", "--ssh-ecdsa-curve", "p224").err())
                .isEqualTo("✗ unsupported --ssh-ecdsa-curve 'p224': use p256, p384 or p521\n");
    }

    /** The 16-digit id of the primary key of an armored public key. */
    private static String keyId(String armoredPublicKey) throws Exception {
        JcaPGPPublicKeyRingCollection rings = new JcaPGPPublicKeyRingCollection(
                PGPUtil.getDecoderStream(new ByteArrayInputStream(armoredPublicKey.getBytes(StandardCharsets.US_ASCII))));
        PGPPublicKeyRing ring = rings.getKeyRings().next();
        return HexFormat.of().withUpperCase().toHexDigits(ring.getPublicKey().getKeyID());
    }

    /** Runs the command with a standard input whose content {@code answer} decides from what was printed until it is read. */
    private static CommandResult runAnswering(Function<String, String> answer, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        InputStream stdin = System.in;
        System.setIn(new InputStream() {
            private byte[] data;
            private int position;

            @Override
            public int read() {
                if (data == null) {
                    data = answer.apply(err.toString()).getBytes(StandardCharsets.UTF_8);
                }
                return position < data.length ? data[position++] & 0xff : -1;
            }
        });
        try {
            List<String> all = new ArrayList<>(List.of(args));
            if (!all.contains("--kubeconfig")) {
                all.addAll(List.of("--kubeconfig", ControlPlane.shared().kubeconfigPath().toString()));
            }
            var cl = Currents.commandLine();
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            int code = cl.execute(all.toArray(String[]::new));
            return new CommandResult(code, out.toString(), err.toString());
        } finally {
            System.setIn(stdin);
        }
    }
}
