package io.currents.cli.dev;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The sources, Kustomizations and HelmReleases of the cluster at one moment, as {@code dev up} and {@code dev status}
 * show them: a table in the columns of {@code currents get} and whether everything has converged.
 */
record SyncStatus(List<Row> rows) {

    /** One object: its kind and name, the revision it reached, whether it is suspended and Ready, and why. */
    record Row(String kind, String namespace, String name, String revision, boolean suspended, String ready,
               String message, String sourceRevision) {
    }

    static SyncStatus read(KubernetesClient client) {
        List<Row> rows = new ArrayList<>();
        for (GenericKubernetesResource repo : list(client, "source.toolkit.fluxcd.io/v1", "GitRepository")) {
            rows.add(row("gitrepository", repo, string(status(repo), "artifact", "revision"), null));
        }
        for (GenericKubernetesResource ks : list(client, "kustomize.toolkit.fluxcd.io/v1", "Kustomization")) {
            String sourceRevision = null;
            Map<String, Object> ref = map(ks.getAdditionalProperties().get("spec"), "sourceRef");
            if (ref != null && "GitRepository".equals(ref.get("kind"))) {
                String ns = ref.get("namespace") != null ? (String) ref.get("namespace") : ks.getMetadata().getNamespace();
                GenericKubernetesResource source = client.genericKubernetesResources("source.toolkit.fluxcd.io/v1", "GitRepository")
                        .inNamespace(ns).withName((String) ref.get("name")).get();
                sourceRevision = source == null ? null : string(status(source), "artifact", "revision");
            }
            rows.add(row("kustomization", ks, string(status(ks), "lastAppliedRevision"), sourceRevision));
        }
        for (GenericKubernetesResource hr : list(client, "helm.toolkit.fluxcd.io/v2", "HelmRelease")) {
            rows.add(row("helmrelease", hr, string(status(hr), "lastAttemptedRevision"), null));
        }
        return new SyncStatus(rows);
    }

    /** Every object Ready, and every Kustomization applied the revision its source has now. */
    boolean converged() {
        if (rows.isEmpty()) {
            return false;
        }
        for (Row row : rows) {
            if (!"True".equals(row.ready())) {
                return false;
            }
            if (row.kind().equals("kustomization") && row.sourceRevision() != null
                    && !Objects.equals(row.revision(), row.sourceRevision())) {
                return false;
            }
        }
        return true;
    }

    /** The table, one line per object, with aligned columns. */
    String table() {
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[]{"NAMESPACE", "NAME", "REVISION", "SUSPENDED", "READY", "MESSAGE"});
        for (Row row : rows) {
            lines.add(new String[]{row.namespace(), row.kind() + "/" + row.name(), nullToEmpty(row.revision()),
                    Boolean.toString(row.suspended()), nullToEmpty(row.ready()), nullToEmpty(row.message())});
        }
        int[] widths = new int[6];
        for (String[] line : lines) {
            for (int i = 0; i < line.length - 1; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] line : lines) {
            for (int i = 0; i < line.length; i++) {
                out.append(i < line.length - 1 ? String.format("%-" + (widths[i] + 3) + "s", line[i]) : line[i]);
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static List<GenericKubernetesResource> list(KubernetesClient client, String apiVersion, String kind) {
        try {
            return client.genericKubernetesResources(apiVersion, kind).inAnyNamespace().list().getItems();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return List.of();
            }
            throw e;
        }
    }

    private static Row row(String kind, GenericKubernetesResource obj, String revision, String sourceRevision) {
        Map<String, Object> spec = map(obj.getAdditionalProperties().get("spec"));
        boolean suspended = spec != null && Boolean.TRUE.equals(spec.get("suspend"));
        String ready = "Unknown";
        String message = "waiting to be reconciled";
        Map<String, Object> status = status(obj);
        if (status != null && status.get("conditions") instanceof List<?> conditions) {
            for (Object c : conditions) {
                Map<String, Object> condition = map(c);
                if (condition != null && "Ready".equals(condition.get("type"))) {
                    ready = String.valueOf(condition.get("status"));
                    message = String.valueOf(condition.get("message")).replace('\n', ' ');
                }
            }
        }
        return new Row(kind, obj.getMetadata().getNamespace(), obj.getMetadata().getName(), revision, suspended, ready,
                message, sourceRevision);
    }

    private static Map<String, Object> status(GenericKubernetesResource obj) {
        return map(obj.getAdditionalProperties().get("status"));
    }

    private static String string(Map<String, Object> map, String... path) {
        Object value = map;
        for (String key : path) {
            Map<String, Object> m = map(value);
            if (m == null) {
                return null;
            }
            value = m.get(key);
        }
        return value == null ? null : value.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String... path) {
        Object current = value;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(key);
        }
        return current instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
