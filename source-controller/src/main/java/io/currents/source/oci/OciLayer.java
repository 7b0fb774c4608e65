package io.currents.source.oci;

import io.currents.api.source.v1.OCILayerSelector;
import io.currents.api.source.v1.OCIRepository;
import io.currents.oci.Descriptor;
import io.currents.oci.OciClient;
import io.currents.oci.OciException;
import io.currents.oci.OciManifest;
import io.currents.oci.OciReference;
import io.currents.runtime.artifact.ArtifactArchive;
import io.currents.runtime.artifact.SourceIgnore;
import io.currents.runtime.artifact.TarballWriter;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The layer of an OCI artifact that becomes an OCIRepository's artifact: selected by media type (else the first),
 * downloaded with its digest checked, unpacked safely (no escaping paths or links, bounded size) and then either
 * re-archived with the ignore rules ({@code extract}) or kept byte for byte ({@code copy}).
 */
public final class OciLayer {

    private final Path blob;
    private final Path content;
    private final boolean copy;
    private final SourceIgnore ignore;

    private OciLayer(Path blob, Path content, boolean copy, SourceIgnore ignore) {
        this.blob = blob;
        this.content = content;
        this.copy = copy;
        this.ignore = ignore;
    }

    /** The first layer of the selector's media type, or the first layer when no media type is given. */
    public static Descriptor select(OciManifest manifest, OCILayerSelector selector) throws OciException {
        String mediaType = selector == null ? null : selector.getMediaType();
        if (manifest.layers().isEmpty()) {
            throw new OciException(OciException.Kind.UNSUPPORTED, "no layers found in artifact " + manifest.digest());
        }
        if (mediaType == null || mediaType.isBlank()) {
            return manifest.layers().get(0);
        }
        return manifest.layers().stream().filter(l -> mediaType.equals(l.mediaType())).findFirst()
                .orElseThrow(() -> new OciException(OciException.Kind.UNSUPPORTED, "failed to find layer with media type '"
                        + mediaType + "' in artifact " + manifest.digest()));
    }

    /** Downloads and unpacks the layer in {@code work}; {@code maxBytes} bounds both the download and the unpacked files. */
    public static OciLayer pull(OciClient client, OciReference ref, Descriptor layer, Path work, long maxBytes,
                                OCILayerSelector selector, String ignoreRules) throws IOException {
        Path blob = work.resolve("layer.tar.gz");
        try (OutputStream out = Files.newOutputStream(blob)) {
            client.fetchBlob(ref, layer, out, maxBytes);
        }
        Path content = work.resolve("content");
        try (InputStream in = Files.newInputStream(blob)) {
            ArtifactArchive.extract(in, content, maxBytes);
        } catch (ArtifactArchive.UnsafeArchiveException e) {
            throw new OciException(OciException.Kind.INTEGRITY, "layer " + layer.digest() + ": " + e.getMessage());
        } catch (IOException e) {
            throw new OciException(OciException.Kind.UNSUPPORTED, "layer " + layer.digest() + " (" + layer.mediaType()
                    + ") is not a tar+gzip archive: " + e.getMessage());
        }
        boolean copy = selector != null && OCIRepository.LAYER_COPY.equals(selector.getOperation());
        return new OciLayer(blob, content, copy, copy ? null : SourceIgnore.load(content, ignoreRules));
    }

    /** Writes the artifact: the layer as pulled ({@code copy}) or the unpacked files minus the ignored ones. */
    public void writeTo(OutputStream out) throws IOException {
        if (copy) {
            Files.copy(blob, out);
        } else {
            TarballWriter.write(content, ignore, out);
        }
    }
}
