package io.currents.runtime.sops;

import com.exceptionfactory.jagged.framework.armor.ArmoredDecryptingChannelFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPEncryptedData;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKeyEncryptedData;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.jcajce.JcaPGPObjectFactory;
import org.bouncycastle.openpgp.operator.jcajce.JcePublicKeyDataDecryptorFactoryBuilder;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Unwraps the 32-byte SOPS data key with whichever configured key opens it: age, OpenPGP, Vault transit, AWS KMS, GCP
 * KMS or Azure Key Vault, in that order, as sops tries its key sources.
 */
final class DataKey {

    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    private DataKey() {
    }

    static byte[] unwrap(SopsMetadata metadata, SopsKeys keys) {
        List<SopsMetadata.KeyGroup> groups = metadata.keyGroups();
        if (groups.size() == 1) {
            List<String> attempts = new ArrayList<>();
            byte[] key = unwrap(groups.get(0), keys, attempts);
            if (key != null) {
                return key;
            }
            if (attempts.isEmpty()) {
                throw new SopsException("sops metadata lists no keys to decrypt the data key with");
            }
            throw new SopsException("failed to get the data key required to decrypt the SOPS file: " + String.join("; ", attempts));
        }
        // Shamir's secret sharing: each group holds a part, shamir_threshold of them rebuild the key
        List<byte[]> parts = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < groups.size() && parts.size() < metadata.shamirThreshold(); i++) {
            List<String> attempts = new ArrayList<>();
            byte[] part = unwrap(groups.get(i), keys, attempts);
            if (part != null) {
                parts.add(part);
            } else {
                failures.add("group " + i + ": " + (attempts.isEmpty() ? "no keys" : String.join("; ", attempts)));
            }
        }
        if (parts.size() < metadata.shamirThreshold()) {
            throw new SopsException("failed to get the data key required to decrypt the SOPS file: " + parts.size() + " of "
                    + groups.size() + " key groups decrypted, " + metadata.shamirThreshold() + " needed: " + String.join("; ", failures));
        }
        return parts.size() == 1 ? parts.get(0) : Shamir.combine(parts);
    }

    /** The key (or part) of one group, or null with the reasons each of its keys failed added to {@code attempts}. */
    private static byte[] unwrap(SopsMetadata.KeyGroup metadata, SopsKeys keys, List<String> attempts) {
        for (Map<String, Object> age : metadata.ageKeys()) {
            String recipient = String.valueOf(age.get("recipient"));
            if (keys.ageIdentities().isEmpty()) {
                attempts.add("age " + recipient + ": no age identities configured");
                continue;
            }
            try {
                return age(String.valueOf(age.get("enc")), keys);
            } catch (Exception e) {
                attempts.add("age " + recipient + ": no matching identity");
            }
        }
        for (Map<String, Object> pgp : metadata.pgpKeys()) {
            String fingerprint = String.valueOf(pgp.get("fp"));
            try {
                byte[] key = pgp(String.valueOf(pgp.get("enc")), keys);
                if (key != null) {
                    return key;
                }
                attempts.add("pgp " + fingerprint + ": no matching secret key");
            } catch (Exception e) {
                attempts.add("pgp " + fingerprint + ": " + e.getClass().getSimpleName());
            }
        }
        for (Map<String, Object> vault : metadata.vaultKeys()) {
            String name = "hc_vault " + vault.get("vault_address") + "/v1/" + vault.get("engine_path") + "/keys/" + vault.get("key_name");
            if (keys.vaultToken() == null && keys.vaultLogin() == null && keys.fallbackVaultToken() == null) {
                attempts.add(name + ": no Vault token (sops.vault-token) in the decryption Secret");
                continue;
            }
            byte[] key = keyService(name, attempts, () -> {
                // Flux's precedence: the Secret's static token, then Kubernetes auth, then the controller's VAULT_TOKEN
                String token = keys.vaultToken();
                if (token == null && keys.vaultLogin() != null) {
                    token = keys.vaultLogin().token(String.valueOf(vault.get("vault_address")).replaceAll("/+$", ""));
                }
                return VaultTransit.decrypt(vault, token != null ? token : keys.fallbackVaultToken());
            });
            if (key != null) {
                return key;
            }
        }
        for (Map<String, Object> kms : metadata.awsKmsKeys()) {
            byte[] key = keyService("kms " + kms.get("arn"), attempts, () -> {
                return AwsKms.decrypt(kms, keys.awsCredentials(), keys.cloudIdentity());
            });
            if (key != null) {
                return key;
            }
        }
        for (Map<String, Object> gcp : metadata.gcpKmsKeys()) {
            byte[] key = keyService("gcp_kms " + gcp.get("resource_id"), attempts, () -> {
                return GcpKms.decrypt(gcp, keys.gcpCredentials(), keys.cloudIdentity());
            });
            if (key != null) {
                return key;
            }
        }
        for (Map<String, Object> azure : metadata.azureKvKeys()) {
            String name = "azure_kv " + azure.get("vault_url") + "/keys/" + azure.get("name") + "/" + azure.get("version");
            byte[] key = keyService(name, attempts, () -> {
                return AzureKeyVault.decrypt(azure, keys.azureIdentity() != null || keys.cloudIdentity().isController()
                        ? keys.azureIdentity() : keys.cloudIdentity().azure());
            });
            if (key != null) {
                return key;
            }
        }
        return null;
    }

    /** A call to a key service; its failure (never a credential: the services' messages) is added to the attempts. */
    private interface KeyServiceCall {
        byte[] unwrap() throws Exception;
    }

    private static byte[] keyService(String name, List<String> attempts, KeyServiceCall call) {
        try {
            return call.unwrap();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            attempts.add(name + ": interrupted");
        } catch (Exception e) {
            attempts.add(name + ": " + e.getMessage());
        }
        return null;
    }

    private static byte[] age(String armored, SopsKeys keys) throws Exception {
        InputStream in = new ByteArrayInputStream(armored.getBytes(StandardCharsets.UTF_8));
        try (ReadableByteChannel channel = new ArmoredDecryptingChannelFactory()
                .newDecryptingChannel(Channels.newChannel(in), keys.ageIdentities());
             InputStream plain = Channels.newInputStream(channel)) {
            return plain.readAllBytes();
        }
    }

    private static byte[] pgp(String armored, SopsKeys keys) throws Exception {
        InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(armored.getBytes(StandardCharsets.UTF_8)));
        JcaPGPObjectFactory factory = new JcaPGPObjectFactory(in);
        Object first = factory.nextObject();
        PGPEncryptedDataList list = first instanceof PGPEncryptedDataList l ? l : (PGPEncryptedDataList) factory.nextObject();
        for (PGPEncryptedData data : list) {
            if (!(data instanceof PGPPublicKeyEncryptedData encrypted)) {
                continue;
            }
            for (PGPSecretKeyRing ring : keys.pgpKeys()) {
                PGPSecretKey secret = ring.getSecretKey(encrypted.getKeyID());
                if (secret == null) {
                    continue;
                }
                PGPPrivateKey privateKey = secret.extractPrivateKey(null);
                InputStream clear = encrypted.getDataStream(new JcePublicKeyDataDecryptorFactoryBuilder().setProvider(BC).build(privateKey));
                Object message = new JcaPGPObjectFactory(clear).nextObject();
                if (message instanceof PGPCompressedData compressed) {
                    message = new JcaPGPObjectFactory(compressed.getDataStream()).nextObject();
                }
                if (!(message instanceof PGPLiteralData literal)) {
                    throw new SopsException("unexpected OpenPGP message content");
                }
                byte[] key = literal.getInputStream().readAllBytes();
                if (encrypted.isIntegrityProtected() && !encrypted.verify()) {
                    throw new SopsException("OpenPGP message failed its integrity check");
                }
                return key;
            }
        }
        return null;
    }
}
