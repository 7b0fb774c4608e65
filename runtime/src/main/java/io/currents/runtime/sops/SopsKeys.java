package io.currents.runtime.sops;

import io.currents.runtime.identity.CloudIdentity;

import io.currents.runtime.identity.AzureIdentity;

import com.exceptionfactory.jagged.RecipientStanzaReader;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaReaderFactory;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRingCollection;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The keys available to decrypt SOPS data keys, as kustomize-controller reads them from the decryption Secret:
 * age X25519 identities ({@code *.agekey}), OpenPGP secret keys ({@code *.asc}), a HashiCorp Vault token
 * ({@code sops.vault-token}), AWS credentials ({@code sops.aws-kms}, YAML with {@code aws_access_key_id},
 * {@code aws_secret_access_key} and optionally {@code aws_session_token}), GCP credentials JSON ({@code sops.gcp-kms})
 * and an Azure identity ({@code sops.azure-kv}, {@link AzureIdentity}). Without cloud credentials, AWS KMS, GCP KMS and
 * Azure Key Vault are called with the controller's own identity, or the decryption ServiceAccount's ({@link #cloudIdentity}).
 */
public final class SopsKeys {

    /** The Secret entry holding a Vault token. */
    public static final String VAULT_TOKEN = "sops.vault-token";
    /** The Secret entry holding AWS credentials as YAML. */
    public static final String AWS_KMS = "sops.aws-kms";
    /** The Secret entry holding GCP credentials JSON. */
    public static final String GCP_KMS = "sops.gcp-kms";
    /** The Secret entry holding an Azure identity as JSON or YAML. */
    public static final String AZURE_KV = "sops.azure-kv";

    private final List<RecipientStanzaReader> ageIdentities = new ArrayList<>();
    private final List<PGPSecretKeyRing> pgpKeys = new ArrayList<>();
    private String vaultToken;
    private AwsCredentialsProvider awsCredentials;
    private VaultLogin vaultLogin;
    private String fallbackVaultToken;
    private CloudIdentity cloudIdentity = CloudIdentity.controller();
    private String gcpCredentials;
    private AzureIdentity azureIdentity;

    /** Keys from a decryption Secret's data. Other entries are ignored. */
    public static SopsKeys fromSecretData(Map<String, byte[]> data) {
        SopsKeys keys = new SopsKeys();
        data.forEach((name, value) -> {
            if (name.endsWith(".agekey")) {
                keys.addAgeIdentities(new String(value, StandardCharsets.UTF_8));
            } else if (name.endsWith(".asc")) {
                keys.addPgpKeys(value);
            } else if (name.equals(VAULT_TOKEN)) {
                keys.vaultToken(new String(value, StandardCharsets.UTF_8).strip());
            } else if (name.equals(AWS_KMS)) {
                keys.awsCredentials(new String(value, StandardCharsets.UTF_8));
            } else if (name.equals(GCP_KMS)) {
                keys.gcpCredentials(new String(value, StandardCharsets.UTF_8));
            } else if (name.equals(AZURE_KV)) {
                keys.azureIdentity(new String(value, StandardCharsets.UTF_8));
            }
        });
        return keys;
    }

    /** Sets the token sent to Vault's transit engine. */
    public SopsKeys vaultToken(String token) {
        this.vaultToken = token == null || token.isEmpty() ? null : token;
        return this;
    }

    /** Sets AWS credentials from the YAML of a {@code sops.aws-kms} entry. */
    public SopsKeys awsCredentials(String yaml) {
        Map<String, String> fields = new java.util.HashMap<>();
        for (String line : yaml.split("\\R")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip().replaceAll("^[\"']|[\"']$", ""));
            }
        }
        String id = fields.get("aws_access_key_id");
        String secret = fields.get("aws_secret_access_key");
        if (id == null || id.isEmpty() || secret == null || secret.isEmpty()) {
            // Never echo the entry: it holds a secret key.
            throw new SopsException("the " + AWS_KMS + " entry needs aws_access_key_id and aws_secret_access_key", null);
        }
        String session = fields.get("aws_session_token");
        this.awsCredentials = StaticCredentialsProvider.create(session == null || session.isEmpty()
                ? AwsBasicCredentials.create(id, secret) : AwsSessionCredentials.create(id, secret, session));
        return this;
    }

    /** Gets a Vault token for an address by logging in (Flux's Vault Kubernetes auth); tried when no static token is set. */
    @FunctionalInterface
    public interface VaultLogin {
        /** A Vault token for this address; an IOException says why none could be had. */
        String token(String vaultAddress) throws IOException, InterruptedException;
    }

    /** Sets the Vault login used when the Secret has no {@code sops.vault-token}. */
    public SopsKeys vaultLogin(VaultLogin login) {
        this.vaultLogin = login;
        return this;
    }

    /** Sets the controller's global Vault token ({@code VAULT_TOKEN}), tried last. */
    public SopsKeys fallbackVaultToken(String token) {
        this.fallbackVaultToken = token == null || token.isBlank() ? null : token.strip();
        return this;
    }

    /**
     * Uses this cloud identity (a ServiceAccount's: Flux's object-level workload identity) in place of the controller's
     * own for AWS KMS, GCP KMS and Azure Key Vault when the Secret holds no credentials for them.
     */
    public SopsKeys cloudIdentity(CloudIdentity identity) {
        this.cloudIdentity = identity;
        return this;
    }

    /** The identity for key services the Secret has no credentials for: the object's, else the controller's. */
    CloudIdentity cloudIdentity() {
        return cloudIdentity;
    }

    /** Sets the GCP credentials JSON of a {@code sops.gcp-kms} entry. */
    public SopsKeys gcpCredentials(String json) {
        this.gcpCredentials = json == null || json.isBlank() ? null : json.strip();
        return this;
    }

    /** Sets the Azure identity of a {@code sops.azure-kv} entry (JSON or YAML). */
    public SopsKeys azureIdentity(String entry) {
        try {
            this.azureIdentity = AzureIdentity.parse(entry);
        } catch (IllegalArgumentException e) {
            throw new SopsException(e.getMessage(), null);
        }
        return this;
    }

    /** Adds every {@code AGE-SECRET-KEY-1…} line of an age key file; comments and blank lines are skipped. */
    public SopsKeys addAgeIdentities(String keyFile) {
        for (String line : keyFile.split("\\R")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            try {
                ageIdentities.add(X25519RecipientStanzaReaderFactory.newRecipientStanzaReader(trimmed));
            } catch (GeneralSecurityException | RuntimeException e) {
                // Never echo the line: it is a private key.
                throw new SopsException("failed to parse age identity: not a valid AGE-SECRET-KEY", null);
            }
        }
        return this;
    }

    /** Adds the secret keys of an armored (or binary) OpenPGP key export; keys must not be passphrase protected. */
    public SopsKeys addPgpKeys(byte[] exported) {
        try {
            var collection = new PGPSecretKeyRingCollection(
                    PGPUtil.getDecoderStream(new ByteArrayInputStream(exported)), new JcaKeyFingerprintCalculator());
            collection.getKeyRings().forEachRemaining(pgpKeys::add);
        } catch (IOException | PGPException e) {
            throw new SopsException("failed to read OpenPGP secret keys: " + e.getClass().getSimpleName(), null);
        }
        return this;
    }

    List<RecipientStanzaReader> ageIdentities() {
        return Collections.unmodifiableList(ageIdentities);
    }

    List<PGPSecretKeyRing> pgpKeys() {
        return Collections.unmodifiableList(pgpKeys);
    }

    String vaultToken() {
        return vaultToken;
    }

    /** The Secret's AWS credentials, or null to use the controller's own. */
    AwsCredentialsProvider awsCredentials() {
        return awsCredentials;
    }

    VaultLogin vaultLogin() {
        return vaultLogin;
    }

    String fallbackVaultToken() {
        return fallbackVaultToken;
    }

    /** The Secret's GCP credentials JSON, or null to use the controller's own. */
    String gcpCredentials() {
        return gcpCredentials;
    }

    /** The Secret's Azure identity, or null to use the controller's own. */
    AzureIdentity azureIdentity() {
        return azureIdentity;
    }

    public boolean isEmpty() {
        return ageIdentities.isEmpty() && pgpKeys.isEmpty() && vaultToken == null && awsCredentials == null
                && gcpCredentials == null && azureIdentity == null;
    }
}
