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
 *
 * <p>helm-java runs Helm with one namespace for both the release's objects and its storage, while Flux stores a
 * release in the HelmRelease's namespace ({@code spec.storageNamespace}). When the two differ, the records are lent
 * to the release namespace for the length of one Helm action and taken back afterwards ({@link #lent}); records found
 * in the release namespace at any other time (stored there by an earlier Currents, or left by an action cut short)
 * are moved into the storage namespace first ({@link #gather}).
 */
final class ReleaseStorage {

    /** A Helm action run while the records are lent out. */
    interface Action<T, E extends Exception> {
        T run() throws E;
    }

    private static final String SECRET_TYPE = "helm.sh/release.v1";
    /** Suffix and owner label of records set aside while an install replaces the release (see {@link #replacing}). */
    private static final String ASIDE = ".replaced";
    private static final String ASIDE_OWNER = "currents-replaced";

    private final KubernetesClient client;
    private final String namespace;
    private final String releaseNamespace;
    private final String releaseName;

    ReleaseStorage(KubernetesClient client, String namespace, String releaseNamespace, String releaseName) {
        this.client = client;
        this.namespace = namespace;
        this.releaseNamespace = releaseNamespace;
        this.releaseName = releaseName;
    }

    String namespace() {
        return namespace;
    }

    /**
     * The storage namespace's records as last listed, and their decoded history: a reconcile reads them several times
     * (the plan, the action's before and after, the status), and each read is a LIST that the API server answers from
     * etcd by reading every Secret of the namespace. Kept until this storage or Helm writes ({@link #changed}); a
     * ReleaseStorage lives for one reconcile.
     */
    private List<Secret> listed;
    private List<StoredRelease> decoded;

    /** Forgets what was listed: called before every write to the records, and after every Helm action ({@link #lent}). */
    void changed() {
        listed = null;
        decoded = null;
    }

    /** The Secrets API of {@code ns}, for a write to the records: what was listed is forgotten first. */
    private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<Secret, io.fabric8.kubernetes.api.model.SecretList,
            io.fabric8.kubernetes.client.dsl.Resource<Secret>> write(String ns) {
        changed();
        return client.secrets().inNamespace(ns);
    }

    /**
     * After Helm installed a release that had no records: Helm wrote version 1 and nothing else, so that one record is
     * read by name (a GET of one key) rather than the whole namespace listed again. When it is not there, the next read
     * lists as usual.
     */
    void readFirstVersion() {
        changed();
        Secret first = client.secrets().inNamespace(namespace).withName(secretName(1)).get();
        if (first != null && SECRET_TYPE.equals(first.getType())) {
            listed = List.of(first);
        }
    }

    private List<Secret> secrets() {
        if (listed == null) {
            listed = secretsIn(namespace);
        }
        return listed;
    }

    private List<Secret> secretsIn(String ns) {
        return client.secrets().inNamespace(ns).withLabels(Map.of("owner", "helm", "name", releaseName)).list().getItems().stream()
                .filter(s -> SECRET_TYPE.equals(s.getType()))
                .toList();
    }

    /**
     * Moves this release's records from {@code elsewhere} (and from the release namespace) into the storage namespace,
     * replacing records of the same name; returns how many were moved. Nothing is deleted before it is stored.
     */
    int gather(String... elsewhere) {
        java.util.Set<String> sources = new java.util.LinkedHashSet<>();
        sources.add(releaseNamespace);
        for (String ns : elsewhere) {
            if (ns != null && !ns.isEmpty()) {
                sources.add(ns);
            }
        }
        sources.remove(namespace);
        int moved = 0;
        for (String ns : sources) {
            for (Secret record : secretsIn(ns)) {
                put(namespace, record);
                write(ns).withName(record.getMetadata().getName()).delete();
                moved++;
            }
        }
        return moved;
    }

    /**
     * Runs a Helm action with the records lent to the release namespace, where helm-java looks for them, and takes them
     * back afterwards, whatever the action's outcome: new and changed records are stored, records Helm deleted are
     * deleted. Without a separate storage namespace the action just runs.
     */
    <T, E extends Exception> T lent(Action<T, E> action) throws E {
        if (namespace.equals(releaseNamespace)) {
            try {
                return action.run();
            } finally {
                changed();
            }
        }
        java.util.Set<String> lent = new java.util.HashSet<>();
        for (Secret record : secrets()) {
            put(releaseNamespace, record);
            lent.add(record.getMetadata().getName());
        }
        try {
            return action.run();
        } finally {
            changed();
            java.util.Set<String> returned = new java.util.HashSet<>();
            for (Secret record : secretsIn(releaseNamespace)) {
                put(namespace, record);
                write(releaseNamespace).withName(record.getMetadata().getName()).delete();
                returned.add(record.getMetadata().getName());
            }
            for (String name : lent) {
                if (!returned.contains(name)) {
                    write(namespace).withName(name).delete();
                }
            }
        }
    }

    /** Stores a copy of a record in {@code ns}: created, or replaced when one of the same name exists. */
    private void put(String ns, Secret record) {
        Secret copy = new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata()
                .withName(record.getMetadata().getName())
                .withNamespace(ns)
                .withLabels(record.getMetadata().getLabels())
                .withAnnotations(record.getMetadata().getAnnotations())
                .endMetadata()
                .withType(record.getType())
                .withImmutable(record.getImmutable())
                .withData(record.getData())
                .build();
        var secrets = write(ns);
        Secret existing = secrets.withName(copy.getMetadata().getName()).get();
        if (existing == null) {
            secrets.resource(copy).create();
        } else {
            copy.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
            secrets.resource(copy).update();
        }
    }

    /** All stored versions, newest first. */
    List<StoredRelease> history() throws IOException {
        List<Secret> records = secrets();
        if (decoded != null) {
            return decoded;
        }
        List<StoredRelease> releases = new ArrayList<>();
        for (Secret secret : records) {
            String value = secret.getData() == null ? null : secret.getData().get("release");
            if (value != null) {
                releases.add(StoredRelease.decode(value, "release Secret '" + namespace + "/" + secret.getMetadata().getName() + "'"));
            }
        }
        releases.sort(Comparator.comparingInt(StoredRelease::version).reversed());
        decoded = List.copyOf(releases);
        return decoded;
    }

    /**
     * The newest version number, null when there is none: read from the records' {@code version} label (Helm sets it
     * on every record), so nothing is decoded; a record without a readable label is decoded instead.
     */
    Integer newestVersion() throws IOException {
        Integer newest = null;
        for (Secret secret : secrets()) {
            Integer version = labelledVersion(secret);
            if (version == null) {
                String value = secret.getData() == null ? null : secret.getData().get("release");
                if (value == null) {
                    continue;
                }
                version = StoredRelease.decode(value, "release Secret '" + namespace + "/" + secret.getMetadata().getName() + "'").version();
            }
            if (newest == null || version > newest) {
                newest = version;
            }
        }
        return newest;
    }

    private static Integer labelledVersion(Secret secret) {
        String label = secret.getMetadata().getLabels() == null ? null : secret.getMetadata().getLabels().get("version");
        try {
            return label == null ? null : Integer.valueOf(label);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    Optional<StoredRelease> latest() throws IOException {
        return history().stream().findFirst();
    }

    /**
     * The newest version in a state a rollback can return to (deployed or superseded), other than {@code current}, and
     * never one this controller unlocked: an action killed after Helm superseded the deployed version leaves no
     * deployed one, so Helm's next upgrade supersedes the unlocked version, which never completed. Flux chooses from
     * deployed or superseded alone and would return to it. As in Flux, a version whose test failed is skipped too,
     * unless test failures are ignored.
     */
    Optional<StoredRelease> previousGood(int current, boolean ignoreTestFailures) throws IOException {
        return history().stream()
                .filter(r -> r.version() < current)
                .filter(r -> "superseded".equals(r.status()) || "deployed".equals(r.status()))
                .filter(r -> !r.description().startsWith(UNLOCKED_PREFIX))
                .filter(r -> ignoreTestFailures || r.hooks().stream().noneMatch(h -> h.isTest() && "Failed".equals(h.phase())))
                .findFirst();
    }

    /** Helm's description of a version this controller unlocked: it never completed, whatever its status becomes. */
    static final String UNLOCKED_PREFIX = "Release unlocked from stale '";

    /** Marks a release stuck in a pending state as failed, in Helm's own record, so Helm accepts new actions. */
    void unlock(StoredRelease pending) throws IOException {
        rewrite(pending, "failed", UNLOCKED_PREFIX + pending.status() + "' state");
    }

    /** Records a version as failed (Helm's record and label), as Helm does when its own wait fails. */
    void markFailed(StoredRelease release, String description) throws IOException {
        rewrite(release, "failed", description);
    }

    /** Sets the status (and description) of a stored version, in its record and its Secret's {@code status} label. */
    private void rewrite(StoredRelease release, String status, String description) throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode json = release.json().deepCopy();
        com.fasterxml.jackson.databind.node.ObjectNode info = (com.fasterxml.jackson.databind.node.ObjectNode) json.get("info");
        info.put("status", status);
        info.put("description", description);
        String value = encode(json);
        write(namespace).withName(secretName(release.version())).edit(secret -> {
            secret.getData().put("release", value);
            secret.getMetadata().getLabels().put("status", status);
            return secret;
        });
    }

    private String secretName(int version) {
        return "sh.helm.release.v1." + releaseName + ".v" + version;
    }

    /** A release record as Helm's Secret driver stores it: base64 (the Secret's data) of base64 of gzip of the JSON. */
    private static String encode(com.fasterxml.jackson.databind.JsonNode json) throws IOException {
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gz)) {
            out.write(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(json));
        }
        String helmEncoded = java.util.Base64.getEncoder().encodeToString(gz.toByteArray());
        return java.util.Base64.getEncoder().encodeToString(helmEncoded.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Runs an install as Helm's {@code install --replace} (which helm-java lacks) over a release whose newest version is
     * uninstalled or failed: the stored versions are set aside out of Helm's sight, Helm installs (recording version 1),
     * and afterwards that record becomes version N+1 of the history put back, with version N superseded unless it
     * failed, as Helm's replace records it.
     */
    <T, E extends Exception> T replacing(Action<T, E> action) throws E {
        List<Secret> stored = secrets();
        if (stored.isEmpty()) {
            return lent(action);
        }
        List<StoredRelease> history;
        try {
            history = history();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the release's history: " + e.getMessage(), e);
        }
        StoredRelease last = history.getFirst();
        for (Secret record : stored) {
            Secret aside = new io.fabric8.kubernetes.api.model.SecretBuilder(record).editMetadata()
                    .withName(record.getMetadata().getName() + ASIDE).addToLabels("owner", ASIDE_OWNER).endMetadata().build();
            put(namespace, aside);
            write(namespace).withName(record.getMetadata().getName()).delete();
        }
        try {
            return lent(action);
        } finally {
            try {
                Secret fresh = client.secrets().inNamespace(namespace).withName(secretName(1)).get();
                if (fresh != null) {
                    StoredRelease installed = StoredRelease.decode(fresh.getData().get("release"));
                    com.fasterxml.jackson.databind.node.ObjectNode json = installed.json().deepCopy();
                    int version = last.version() + 1;
                    json.put("version", version);
                    Secret renumbered = new io.fabric8.kubernetes.api.model.SecretBuilder(fresh).editMetadata()
                            .withName(secretName(version)).addToLabels("version", String.valueOf(version)).endMetadata()
                            .addToData("release", encode(json)).build();
                    put(namespace, renumbered);
                    write(namespace).withName(secretName(1)).delete();
                }
                for (Secret record : stored) {
                    put(namespace, record);
                    write(namespace).withName(record.getMetadata().getName() + ASIDE).delete();
                }
                if (fresh != null && !"failed".equals(last.status())) {
                    rewrite(last, "superseded", "superseded by new release");
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot put back the history of release " + releaseName + ": " + e.getMessage(), e);
            }
        }
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
                write(namespace).withName(secretName(r.version())).delete();
            }
        }
    }
}
