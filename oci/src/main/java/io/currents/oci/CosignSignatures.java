package io.currents.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Cosign signatures made with a key pair: the signature manifest under the tag {@code sha256-<hex>.sig} of the same
 * repository, whose layers are simple-signing payloads naming the signed manifest digest, each with its base64
 * signature in the {@code dev.cosignproject.cosign/signature} annotation. Verified with JDK crypto (ECDSA P-256/P-384,
 * RSA PKCS#1 v1.5, Ed25519 public keys in PEM).
 */
public final class CosignSignatures {

    public static final String PAYLOAD_MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
    public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
    private static final String SIGNATURE_TYPE = "cosign container image signature";
    private static final ObjectMapper JSON = new ObjectMapper();

    private CosignSignatures() {
    }

    /** The tag cosign stores the signatures of a manifest under. */
    public static String signatureTag(String manifestDigest) {
        return manifestDigest.replace(':', '-') + ".sig";
    }

    /**
     * Checks that a signature of {@code manifestDigest} in {@code ref}'s repository verifies with one of the public
     * keys; returns a message naming what verified, or throws with why nothing did.
     */
    public static String verify(OciClient client, OciReference ref, String manifestDigest, Map<String, String> publicKeysPem)
            throws OciException {
        List<PublicKey> keys = new ArrayList<>();
        for (Map.Entry<String, String> key : publicKeysPem.entrySet()) {
            keys.add(publicKey(key.getKey(), key.getValue()));
        }
        if (keys.isEmpty()) {
            throw new OciException(OciException.Kind.UNSUPPORTED, "no cosign public keys (keys ending in .pub) were given");
        }
        OciManifest signatures;
        try {
            signatures = client.manifest(ref.withTag(signatureTag(manifestDigest)));
        } catch (OciException e) {
            if (e.kind() == OciException.Kind.NOT_FOUND) {
                throw new OciException(OciException.Kind.INTEGRITY, "no cosign signature found for " + ref.url() + "@" + manifestDigest);
            }
            throw e;
        }
        int tried = 0;
        for (Descriptor layer : signatures.layers()) {
            String signature = layer.annotations().get(SIGNATURE_ANNOTATION);
            if (!PAYLOAD_MEDIA_TYPE.equals(layer.mediaType()) || signature == null) {
                continue;
            }
            tried++;
            byte[] payload = client.blob(ref, layer);
            byte[] sig;
            try {
                sig = Base64.getDecoder().decode(signature);
            } catch (IllegalArgumentException e) {
                continue;
            }
            for (PublicKey key : keys) {
                if (verifies(key, payload, sig) && payloadNames(payload, manifestDigest)) {
                    return "verified signature of revision " + manifestDigest;
                }
            }
        }
        throw new OciException(OciException.Kind.INTEGRITY, tried == 0
                ? "no cosign signature found for " + ref.url() + "@" + manifestDigest
                : "no matching signatures were found for '" + ref.url() + "@" + manifestDigest + "' (" + tried + " tried)");
    }

    /** Signs {@code manifestDigest} with {@code key} and pushes the signature manifest, as {@code cosign sign --key} does. */
    public static void sign(OciClient client, OciReference ref, String manifestDigest, PrivateKey key) throws OciException {
        ObjectNode payload = JSON.createObjectNode();
        ObjectNode critical = payload.putObject("critical");
        critical.putObject("identity").put("docker-reference", ref.name());
        critical.putObject("image").put("docker-manifest-digest", manifestDigest);
        critical.put("type", SIGNATURE_TYPE);
        payload.putNull("optional");
        byte[] bytes;
        byte[] sig;
        try {
            bytes = JSON.writeValueAsBytes(payload);
            Signature signer = Signature.getInstance(algorithm(key.getAlgorithm(), key instanceof java.security.interfaces.ECKey ec
                    ? ec.getParams().getCurve().getField().getFieldSize() : 0));
            signer.initSign(key);
            signer.update(bytes);
            sig = signer.sign();
        } catch (GeneralSecurityException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new OciException(OciException.Kind.UNSUPPORTED, "cannot sign: " + e.getMessage(), e);
        }
        Descriptor config = client.pushBlob(ref, "application/vnd.oci.image.config.v1+json", "{}".getBytes(StandardCharsets.UTF_8));
        Descriptor layer = client.pushBlob(ref, PAYLOAD_MEDIA_TYPE, bytes);
        layer = new Descriptor(layer.mediaType(), layer.digest(), layer.size(),
                Map.of(SIGNATURE_ANNOTATION, Base64.getEncoder().encodeToString(sig)));
        String tag = signatureTag(manifestDigest);
        client.pushManifest(ref.withTag(tag), tag, OciManifest.OCI_MANIFEST, ManifestJson.image(config, List.of(layer), Map.of()));
    }

    private static boolean payloadNames(byte[] payload, String manifestDigest) {
        try {
            JsonNode critical = JSON.readTree(payload).path("critical");
            return SIGNATURE_TYPE.equals(critical.path("type").asText())
                    && manifestDigest.equals(critical.path("image").path("docker-manifest-digest").asText());
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static boolean verifies(PublicKey key, byte[] payload, byte[] sig) {
        try {
            Signature verifier = Signature.getInstance(algorithm(key.getAlgorithm(),
                    key instanceof ECPublicKey ec ? ec.getParams().getCurve().getField().getFieldSize() : 0));
            verifier.initVerify(key);
            verifier.update(payload);
            return verifier.verify(sig);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static String algorithm(String keyAlgorithm, int ecBits) {
        return switch (keyAlgorithm) {
            case "EC" -> ecBits > 256 ? "SHA384withECDSA" : "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new IllegalArgumentException("unsupported key algorithm " + keyAlgorithm);
        };
    }

    /** A PEM {@code PUBLIC KEY} (PKIX) as cosign writes {@code cosign.pub}. */
    static PublicKey publicKey(String name, String pem) throws OciException {
        String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        if (!pem.contains("BEGIN PUBLIC KEY") || base64.isEmpty()) {
            throw new OciException(OciException.Kind.UNSUPPORTED, "'" + name + "' is not a PEM public key");
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new OciException(OciException.Kind.UNSUPPORTED, "'" + name + "' is not a PEM public key");
        }
        for (String algorithm : List.of("EC", "RSA", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException ignored) {
                // try the next key type
            }
        }
        throw new OciException(OciException.Kind.UNSUPPORTED, "'" + name + "' is not an EC, RSA or Ed25519 public key");
    }
}
