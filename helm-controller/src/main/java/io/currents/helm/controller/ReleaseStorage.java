package io.currents.helm.controller;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads (and trims) Helm's own release storage: the Secrets of type {@code helm.sh/release.v1} labelled
 * {@code owner=helm,name=<release>} in the storage namespace, the same records {@code helm list/history} read.
 */
final class ReleaseStorage {

    private final KubernetesClient client;
    private final String namespace;
    private final String releaseName;

    ReleaseStorage(KubernetesClient client, String namespace, String releaseName) {
        this.client = client;
        this.namespace = namespace;
        this.releaseName = releaseName;
    }

    private List<Secret> secrets() {
        return client.secrets().inNamespace(namespace).withLabels(Map.of("owner", "helm", "name", releaseName)).list().getItems();
    }

    /** All stored versions, newest first. */
    List<StoredRelease> history() throws IOException {
        List<StoredRelease> releases = new ArrayList<>();
        for (Secret secret : secrets()) {
            String value = secret.getData() == null ? null : secret.getData().get("release");
            if (value != null) {
                releases.add(StoredRelease.decode(value, "release Secret '" + namespace + "/" + secret.getMetadata().getName() + "'"));
            }
        }
        releases.sort(Comparator.comparingInt(StoredRelease::version).reversed());
        return releases;
    }

    Optional<StoredRelease> latest() throws IOException {
        return history().stream().findFirst();
    }

    /** The newest version in a state a rollback can return to (deployed or superseded), other than {@code current}. */
    Optional<StoredRelease> previousGood(int current) throws IOException {
        return history().stream()
                .filter(r -> r.version() < current)
                .filter(r -> "superseded".equals(r.status()) || "deployed".equals(r.status()))
                .findFirst();
    }

    /** Marks a release stuck in a pending state as failed, in Helm's own record, so Helm accepts new actions. */
    void unlock(StoredRelease pending) throws IOException {
        String name = "sh.helm.release.v1." + releaseName + ".v" + pending.version();
        com.fasterxml.jackson.databind.node.ObjectNode json = pending.json().deepCopy();
        com.fasterxml.jackson.databind.node.ObjectNode info = (com.fasterxml.jackson.databind.node.ObjectNode) json.get("info");
        info.put("status", "failed");
        info.put("description", "Release unlocked from stale '" + pending.status() + "' state");
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gz)) {
            out.write(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(json));
        }
        String helmEncoded = java.util.Base64.getEncoder().encodeToString(gz.toByteArray());
        client.secrets().inNamespace(namespace).withName(name).edit(secret -> {
            secret.getData().put("release", java.util.Base64.getEncoder().encodeToString(helmEncoded.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            secret.getMetadata().getLabels().put("status", "failed");
            return secret;
        });
    }

    /**
     * Keeps the {@code max} newest versions (Helm's {@code --history-max}; helm-java has no such option), never
     * deleting the deployed one. 0 keeps everything.
     */
    void trim(int max) throws IOException {
        if (max <= 0) {
            return;
        }
        List<StoredRelease> all = history();
        for (int i = max; i < all.size(); i++) {
            StoredRelease r = all.get(i);
            if (!r.isDeployed()) {
                client.secrets().inNamespace(namespace).withName("sh.helm.release.v1." + releaseName + ".v" + r.version()).delete();
            }
        }
    }
}
