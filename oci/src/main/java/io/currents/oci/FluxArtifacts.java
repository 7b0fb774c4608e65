package io.currents.oci;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Flux's OCI artifact format, as {@code flux push artifact} writes it and source-controller reads it: an OCI image
 * manifest with an empty JSON config of media type {@link #CONFIG_MEDIA_TYPE}, one tar.gz layer of
 * {@link #CONTENT_MEDIA_TYPE}, and the source, revision and creation time as OCI annotations.
 */
public final class FluxArtifacts {

    public static final String CONFIG_MEDIA_TYPE = "application/vnd.cncf.flux.config.v1+json";
    public static final String CONTENT_MEDIA_TYPE = "application/vnd.cncf.flux.content.v1.tar+gzip";
    public static final String HELM_CONFIG_MEDIA_TYPE = "application/vnd.cncf.helm.config.v1+json";
    public static final String HELM_CHART_MEDIA_TYPE = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
    public static final String SOURCE_ANNOTATION = "org.opencontainers.image.source";
    public static final String REVISION_ANNOTATION = "org.opencontainers.image.revision";
    public static final String CREATED_ANNOTATION = "org.opencontainers.image.created";

    private FluxArtifacts() {
    }

    /**
     * Pushes {@code tarGz} as a Flux artifact under {@code ref}'s tag, with {@code source} and {@code revision}
     * annotations (either may be null) and any extra {@code annotations}; returns the manifest digest.
     */
    public static String push(OciClient client, OciReference ref, Path tarGz, String source, String revision,
                              Map<String, String> annotations, Instant created) throws OciException {
        try {
            String layerDigest = digestOf(tarGz);
            long size = Files.size(tarGz);
            byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
            Descriptor configBlob = client.pushBlob(ref, CONFIG_MEDIA_TYPE, config);
            Descriptor layer = client.pushBlob(ref, CONTENT_MEDIA_TYPE, tarGz, layerDigest, size);
            Map<String, String> all = new LinkedHashMap<>();
            all.put(CREATED_ANNOTATION, created.truncatedTo(ChronoUnit.SECONDS).toString());
            if (source != null) {
                all.put(SOURCE_ANNOTATION, source);
            }
            if (revision != null) {
                all.put(REVISION_ANNOTATION, revision);
            }
            all.putAll(annotations);
            return client.pushManifest(ref, ref.tag() == null ? "latest" : ref.tag(), OciManifest.OCI_MANIFEST,
                    ManifestJson.image(configBlob, java.util.List.of(layer), all));
        } catch (java.io.IOException e) {
            if (e instanceof OciException oci) {
                throw oci;
            }
            throw new OciException(OciException.Kind.TRANSPORT, "cannot read " + tarGz + ": " + e.getMessage(), e);
        }
    }

    /**
     * Pushes a packaged chart as {@code helm push} does: a config of the chart's name and version, one chart layer, the
     * tag being the version with {@code +} written {@code _}; returns the manifest digest.
     */
    public static String pushHelmChart(OciClient client, OciReference chartRepository, String name, String version, byte[] chartTgz)
            throws OciException {
        byte[] config = ("{\"name\":\"" + name + "\",\"version\":\"" + version + "\",\"apiVersion\":\"v2\"}")
                .getBytes(StandardCharsets.UTF_8);
        Descriptor configBlob = client.pushBlob(chartRepository, HELM_CONFIG_MEDIA_TYPE, config);
        Descriptor layer = client.pushBlob(chartRepository, HELM_CHART_MEDIA_TYPE, chartTgz);
        String tag = version.replace('+', '_');
        return client.pushManifest(chartRepository.withTag(tag), tag, OciManifest.OCI_MANIFEST,
                ManifestJson.image(configBlob, java.util.List.of(layer), Map.of()));
    }

    /** Points {@code tag} at the manifest {@code ref} resolves to, without pulling layers; returns the digest. */
    public static String tag(OciClient client, OciReference ref, String tag) throws OciException {
        OciManifest manifest = client.manifest(ref);
        return client.pushManifest(ref.withTag(tag), tag, manifest.mediaType(), manifest.body());
    }

    static String digestOf(Path file) throws java.io.IOException {
        java.security.MessageDigest sha = Digests.newSha256();
        try (var in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
        }
        return Digests.format(sha);
    }
}
