package io.currents.helm.controller;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The CustomResourceDefinitions of a packaged chart's {@code crds/} directories (the chart's and its subcharts', packed
 * or unpacked), applied as Flux's {@code install.crds}/{@code upgrade.crds} say: {@code Create} creates the missing
 * ones, {@code CreateReplace} also replaces the existing ones, then both wait until every CRD is Established. Helm
 * itself only ever creates them on install and never touches them on upgrade.
 */
final class ChartCrds {

    static final String SKIP = "Skip";
    static final String CREATE = "Create";
    static final String CREATE_REPLACE = "CreateReplace";

    /** What is read of a chart for its CRDs at most: the CRD files and the packed subcharts that may hold more. */
    private static final long MAX_BYTES = 64L * 1024 * 1024;
    private static final int MAX_DEPTH = 5;

    private ChartCrds() {
    }

    /** The CRD documents (YAML or JSON text) of the chart, in the order Helm reads them. */
    static List<String> read(Path tgz) throws IOException {
        try (InputStream in = Files.newInputStream(tgz)) {
            List<String> docs = new ArrayList<>();
            read(in, 0, docs, new long[]{0});
            return docs;
        }
    }

    private static void read(InputStream packed, int depth, List<String> docs, long[] budget) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(new BufferedInputStream(packed)))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                if (!entry.isFile()) {
                    continue;
                }
                String[] parts = entry.getName().replaceFirst("^(\\./)+", "").split("/");
                // <chart>/crds/..., <chart>/charts/<sub>/crds/..., <chart>/charts/<sub>.tgz (read recursively).
                int crds = crdsIndex(parts);
                boolean crd = crds >= 0 && isManifest(parts[parts.length - 1]);
                boolean subchart = parts.length >= 3 && "charts".equals(parts[parts.length - 2]) && parts[parts.length - 1].endsWith(".tgz")
                        && depth < MAX_DEPTH;
                if ((crd || subchart) && entry.getSize() > MAX_BYTES - budget[0]) {
                    throw new IOException("chart entry " + entry.getName() + " is too large");
                }
                if (crd) {
                    byte[] data = tar.readNBytes((int) entry.getSize());
                    budget[0] += data.length;
                    docs.addAll(split(new String(data, StandardCharsets.UTF_8)));
                } else if (subchart) {
                    byte[] data = tar.readNBytes((int) entry.getSize());
                    budget[0] += data.length;
                    read(new ByteArrayInputStream(data), depth + 1, docs, budget);
                }
            }
        }
    }

    /**
     * The index of the {@code crds} directory when the path is in a chart's crds/ ({@code <c>/crds/...}) or an unpacked
     * subchart's ({@code <c>/charts/<s>/crds/...}, at any depth); else -1.
     */
    private static int crdsIndex(String[] parts) {
        for (int i = 1; i < parts.length - 1; i += 2) {
            if ("crds".equals(parts[i])) {
                return i;
            }
            if (!"charts".equals(parts[i])) {
                return -1;
            }
        }
        return -1;
    }

    private static boolean isManifest(String file) {
        return file.endsWith(".yaml") || file.endsWith(".yml") || file.endsWith(".json");
    }

    private static List<String> split(String text) {
        List<String> docs = new ArrayList<>();
        for (String doc : text.split("(?m)^---\\s*$")) {
            if (!doc.lines().allMatch(l -> l.isBlank() || l.stripLeading().startsWith("#"))) {
                docs.add(doc);
            }
        }
        return docs;
    }

    /**
     * Applies the chart's CRDs with {@code policy} ({@link #CREATE} or {@link #CREATE_REPLACE}) and waits up to
     * {@code timeout} for them to be Established; returns the names of those created or replaced.
     */
    static List<String> apply(KubernetesClient client, List<String> docs, String policy, Duration timeout) throws IOException {
        List<String> changed = new ArrayList<>();
        List<String> names = new ArrayList<>();
        String openApiBefore = null;
        for (String doc : docs) {
            GenericKubernetesResource crd;
            try {
                crd = client.getKubernetesSerialization().unmarshal(doc, GenericKubernetesResource.class);
            } catch (RuntimeException e) {
                throw new IOException("invalid CustomResourceDefinition in the chart's crds/: " + e.getMessage(), e);
            }
            if (crd == null || !"CustomResourceDefinition".equals(crd.getKind()) || crd.getMetadata() == null
                    || crd.getMetadata().getName() == null) {
                throw new IOException("the chart's crds/ holds something other than a named CustomResourceDefinition");
            }
            String name = crd.getMetadata().getName();
            names.add(name);
            var resource = client.genericKubernetesResources(crd.getApiVersion(), crd.getKind()).withName(name);
            GenericKubernetesResource existing = resource.get();
            if (existing == null) {
                client.resource(crd).create();
                changed.add(name);
            } else if (CREATE_REPLACE.equals(policy)
                    && !java.util.Objects.equals(existing.getAdditionalProperties().get("spec"), crd.getAdditionalProperties().get("spec"))) {
                if (openApiBefore == null) {
                    openApiBefore = openApiDigest(client);
                }
                crd.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
                client.resource(crd).update();
                changed.add(name);
            }
        }
        awaitEstablished(client, names, timeout);
        if (openApiBefore != null) {
            awaitOpenApi(client, openApiBefore, Duration.ofSeconds(Math.min(30, Math.max(1, timeout.toSeconds()))));
        }
        return changed;
    }

    /**
     * Helm validates the objects against the OpenAPI document the API server publishes, which follows a replaced CRD
     * a moment later: an upgrade started at once would be validated against the old schema (a new field "unknown").
     */
    private static void awaitOpenApi(KubernetesClient client, String before, Duration limit) throws IOException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            String now = openApiDigest(client);
            if (now == null || !now.equals(before)) {
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the API server's OpenAPI document");
            }
        }
    }

    /** The sha256 of the API server's OpenAPI v2 document, or null when it cannot be read (then nothing is awaited). */
    private static String openApiDigest(KubernetesClient client) {
        try {
            String doc = client.raw(client.getMasterUrl().toString().replaceAll("/+$", "") + "/openapi/v2");
            return doc == null ? null : StoredRelease.sha256(doc.getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private static void awaitEstablished(KubernetesClient client, List<String> names, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String name : names) {
            while (true) {
                GenericKubernetesResource crd = client.genericKubernetesResources("apiextensions.k8s.io/v1", "CustomResourceDefinition")
                        .withName(name).get();
                Object status = crd == null ? null : crd.getAdditionalProperties().get("status");
                Object conditions = status instanceof Map<?, ?> m ? m.get("conditions") : null;
                if (conditions instanceof List<?> list && list.stream().anyMatch(c -> c instanceof Map<?, ?> cm
                        && "Established".equals(cm.get("type")) && "True".equals(cm.get("status")))) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("CustomResourceDefinition " + name + " is not established after " + timeout.toSeconds() + "s");
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for CustomResourceDefinition " + name);
                }
            }
        }
    }

    /** A failure of the API server while applying, in words for the status. */
    static String describe(KubernetesClientException e) {
        return e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
    }
}
