package io.currents.oci;

import java.util.Map;

/** An OCI content descriptor: media type, digest, size and annotations of a blob or manifest. */
public record Descriptor(String mediaType, String digest, long size, Map<String, String> annotations) {

    public Descriptor {
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }
}
