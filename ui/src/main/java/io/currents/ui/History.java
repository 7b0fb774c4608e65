package io.currents.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * What an object went through: a Kustomization's or HelmRelease's {@code status.history}, and for a HelmRelease the
 * Helm release history in its storage Secrets ({@code sh.helm.release.v1.<release>.v<N>}). Only the release's
 * metadata is read from a Secret (version, status, chart, times, description): never its values or manifest.
 */
@ApplicationScoped
public class History {

    /** A release Secret is at most 1 MiB; its decompressed JSON is read up to this many bytes. */
    private static final int MAX_RELEASE_BYTES = 32 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    KubernetesClient client;

    /** status.history, each entry's fields in order (Flux's Kustomization and HelmRelease snapshots). */
    public static List<Map<String, String>> statusHistory(GenericKubernetesResource object) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (Object entry : Maps.list(Maps.at(object.getAdditionalProperties().get("status"), "history"))) {
            Map<String, String> row = new LinkedHashMap<>();
            Maps.map(entry).forEach((k, v) -> {
                if (v instanceof Map<?, ?> m) {
                    m.forEach((k2, v2) -> row.put(k + "." + k2, String.valueOf(v2)));
                } else if (!(v instanceof List)) {
                    row.put(k, String.valueOf(v));
                }
            });
            rows.add(row);
        }
        return rows;
    }

    /** One Helm release revision. */
    public record Release(int version, String status, String chart, String appVersion, String updated, String description) {
    }

    /** The Helm release history of a HelmRelease, newest first; empty when it has none or it cannot be read. */
    public List<Release> helmReleases(GenericKubernetesResource helmRelease) {
        Object status = helmRelease.getAdditionalProperties().get("status");
        Object spec = helmRelease.getAdditionalProperties().get("spec");
        String namespace = Optional.ofNullable(Maps.string(status, "storageNamespace"))
                .or(() -> Optional.ofNullable(Maps.string(spec, "storageNamespace"))).orElse(helmRelease.getMetadata().getNamespace());
        List<Object> history = Maps.list(Maps.at(status, "history"));
        String release = history.isEmpty() ? null : Maps.string(history.get(0), "name");
        if (release == null) {
            release = Optional.ofNullable(Maps.string(spec, "releaseName")).orElseGet(() -> {
                String target = Maps.string(spec, "targetNamespace");
                return target == null ? helmRelease.getMetadata().getName() : target + "-" + helmRelease.getMetadata().getName();
            });
        }
        List<Release> releases = new ArrayList<>();
        try {
            for (Secret secret : client.secrets().inNamespace(namespace).withLabel("owner", "helm").withLabel("name", release)
                    .list().getItems()) {
                decode(secret).ifPresent(releases::add);
            }
        } catch (KubernetesClientException e) {
            return List.of();
        }
        releases.sort(Comparator.comparingInt(Release::version).reversed());
        return releases;
    }

    /** The data is base64 (the API) of base64 of gzip of the release's JSON, as Helm 3 stores it. */
    static Optional<Release> decode(Secret secret) {
        String data = secret.getData() == null ? null : secret.getData().get("release");
        if (data == null) {
            return Optional.empty();
        }
        try {
            byte[] inner = Base64.getDecoder().decode(Base64.getDecoder().decode(data));
            InputStream in = new ByteArrayInputStream(inner);
            if (inner.length > 2 && (inner[0] & 0xff) == 0x1f && (inner[1] & 0xff) == 0x8b) {
                in = new GZIPInputStream(in);
            }
            byte[] json = in.readNBytes(MAX_RELEASE_BYTES);
            JsonNode release = JSON.readTree(json);
            JsonNode info = release.path("info");
            JsonNode chart = release.path("chart").path("metadata");
            return Optional.of(new Release(release.path("version").asInt(), info.path("status").asText(),
                    chart.path("name").asText() + "-" + chart.path("version").asText(), chart.path("appVersion").asText(),
                    info.path("last_deployed").asText(), info.path("description").asText()));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
