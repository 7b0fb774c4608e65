package io.currents.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An image manifest as pulled: its bytes and verified digest, its config and layers, its annotations. */
public record OciManifest(String mediaType, String digest, byte[] body, Descriptor config, List<Descriptor> layers,
                          Map<String, String> annotations) {

    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Parses an image manifest whose digest was already checked; an index or a malformed body is refused. */
    static OciManifest parse(String contentType, String digest, byte[] body) throws OciException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new OciException(OciException.Kind.UNSUPPORTED, "manifest " + digest + " is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new OciException(OciException.Kind.UNSUPPORTED, "manifest " + digest + " is not a JSON object");
        }
        String mediaType = root.path("mediaType").asText(contentType == null ? "" : contentType);
        if (OCI_INDEX.equals(mediaType) || DOCKER_LIST.equals(mediaType) || root.has("manifests")) {
            throw new OciException(OciException.Kind.UNSUPPORTED, "manifest " + digest
                    + " is an image index (a multi-platform image), not an artifact manifest");
        }
        if (!root.path("layers").isArray() || !root.path("config").isObject()) {
            throw new OciException(OciException.Kind.UNSUPPORTED, "manifest " + digest + " has no config or layers");
        }
        List<Descriptor> layers = new ArrayList<>();
        for (JsonNode layer : root.path("layers")) {
            layers.add(descriptor(layer, digest));
        }
        return new OciManifest(mediaType, digest, body, descriptor(root.path("config"), digest), List.copyOf(layers),
                strings(root.path("annotations")));
    }

    static Descriptor descriptor(JsonNode node, String manifestDigest) throws OciException {
        String digest = node.path("digest").asText("");
        if (!digest.matches("sha256:[a-f0-9]{64}")) {
            throw new OciException(OciException.Kind.UNSUPPORTED, "manifest " + manifestDigest
                    + " names a blob with an unsupported digest '" + digest + "'");
        }
        long size = node.path("size").asLong(-1);
        if (size < 0) {
            throw new OciException(OciException.Kind.UNSUPPORTED, "manifest " + manifestDigest + " names blob " + digest
                    + " without a size");
        }
        return new Descriptor(node.path("mediaType").asText(""), digest, size, strings(node.path("annotations")));
    }

    private static Map<String, String> strings(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }
}
