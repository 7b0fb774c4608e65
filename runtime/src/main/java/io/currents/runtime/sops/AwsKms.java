package io.currents.runtime.sops;

import io.currents.runtime.identity.CloudIdentity;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DecryptRequest;

import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Unwraps a SOPS data key with AWS KMS ({@code kms} entries of the metadata) through the AWS SDK: the KMS
 * {@code Decrypt} call with the entry's ciphertext and encryption context, in the region of the key's ARN, with
 * the credentials of the decryption Secret's {@code sops.aws-kms} entry or, without them, those of the decryption
 * ServiceAccount (object-level workload identity) or the controller's own (environment, web identity, instance
 * profile), as kustomize-controller does. The endpoint follows the SDK's
 * rules ({@code AWS_ENDPOINT_URL_KMS} overrides it).
 */
final class AwsKms {

    private static final Pattern ARN = Pattern.compile("^arn:aws[a-z-]*:kms:([a-z0-9-]+):[0-9]{12}:(key|alias)/.+$");

    private AwsKms() {
    }

    /** The data key held by one {@code kms} entry. */
    static byte[] decrypt(Map<String, Object> entry, AwsCredentialsProvider credentials, CloudIdentity identity) {
        String arn = String.valueOf(entry.get("arn"));
        Matcher m = ARN.matcher(arn);
        if (!m.matches()) {
            throw new SopsException("invalid AWS KMS key ARN '" + arn + "'");
        }
        if (entry.get("role") != null && !String.valueOf(entry.get("role")).isEmpty()) {
            throw new SopsException("assuming the role '" + entry.get("role") + "' of a sops kms entry is not supported");
        }
        byte[] ciphertext;
        try {
            ciphertext = Base64.getDecoder().decode(String.valueOf(entry.get("enc")));
        } catch (IllegalArgumentException e) {
            throw new SopsException("the kms entry's enc is not base64");
        }
        Map<String, String> context = new LinkedHashMap<>();
        if (entry.get("context") instanceof Map<?, ?> map) {
            map.forEach((k, v) -> context.put(String.valueOf(k), String.valueOf(v)));
        }
        AwsCredentialsProvider effective = credentials;
        if (effective == null) {
            try {
                effective = identity.aws(m.group(1));
            } catch (java.io.IOException e) {
                throw new SopsException(e.getMessage());
            }
        }
        try (KmsClient kms = KmsClient.builder()
                .region(Region.of(m.group(1)))
                .credentialsProvider(effective)
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(30)))
                .build()) {
            return kms.decrypt(DecryptRequest.builder().keyId(arn).ciphertextBlob(SdkBytes.fromByteArray(ciphertext))
                    .encryptionContext(context).build()).plaintext().asByteArray();
        } catch (SdkException e) {
            // The SDK's messages name the key and the request, never the credentials.
            throw new SopsException("AWS KMS decrypt failed: " + e.getMessage());
        }
    }
}
