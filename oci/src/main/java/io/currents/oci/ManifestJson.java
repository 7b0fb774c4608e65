package io.currents.oci;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/** Writes OCI image manifests. */
public final class ManifestJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ManifestJson() {
    }

    /** An OCI image manifest of a config, layers and manifest annotations, as bytes. */
    public static byte[] image(Descriptor config, List<Descriptor> layers, Map<String, String> annotations) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", OciManifest.OCI_MANIFEST);
        root.set("config", descriptor(config));
        ArrayNode array = root.putArray("layers");
        layers.forEach(l -> array.add(descriptor(l)));
        if (!annotations.isEmpty()) {
            ObjectNode a = root.putObject("annotations");
            annotations.forEach(a::put);
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode descriptor(Descriptor d) {
        ObjectNode node = JSON.createObjectNode();
        node.put("mediaType", d.mediaType());
        node.put("digest", d.digest());
        node.put("size", d.size());
        if (!d.annotations().isEmpty()) {
            ObjectNode a = node.putObject("annotations");
            d.annotations().forEach(a::put);
        }
        return node;
    }
}
