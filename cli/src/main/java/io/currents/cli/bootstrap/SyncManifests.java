package io.currents.cli.bootstrap;

import io.currents.cli.install.InstallManifests;
import io.currents.kustomize.yaml.YamlWriter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files {@code bootstrap} keeps in {@code <path>/<namespace>/}: the components (the rendered install), the sync
 * objects (a GitRepository for the repository and a Kustomization applying {@code <path>}, both named after the
 * namespace, as Flux names them {@code flux-system}) and the kustomization.yaml that lists both.
 */
public final class SyncManifests {

    public static final String COMPONENTS_FILE = "currents-components.yaml";
    public static final String SYNC_FILE = "currents-sync.yaml";
    public static final String KUSTOMIZATION_FILE = "kustomization.yaml";

    /**
     * What the sync objects point at; {@code secretName} null for a repository read without credentials,
     * {@code sparseCheckout} empty for a full checkout.
     */
    public record Sync(String namespace, String name, String url, String branch, String path, String interval,
                       String secretName, boolean recurseSubmodules, List<String> sparseCheckout) {
    }

    private SyncManifests() {
    }

    /** The directory of the files inside the repository: {@code <path>/<namespace>}. */
    public static String directory(String path, String namespace) {
        return path.isEmpty() ? namespace : path + "/" + namespace;
    }

    /** Normalises {@code --path}: no leading {@code ./} or {@code /}, no trailing {@code /}; the root is "". */
    public static String normalizePath(String path) {
        String p = path == null ? "" : path.trim().replace('\\', '/');
        while (p.startsWith("./") || p.startsWith("/")) {
            p = p.startsWith("./") ? p.substring(2) : p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.equals(".")) {
            p = "";
        }
        if (p.equals("..") || p.startsWith("../") || p.contains("/../")) {
            throw new IllegalArgumentException("--path must stay inside the repository, got '" + path + "'");
        }
        return p;
    }

    /** The GitRepository and the Kustomization, as one YAML stream. */
    public static String sync(Sync sync) {
        Map<String, Object> repo = object("source.toolkit.fluxcd.io/v1", "GitRepository", sync);
        Map<String, Object> repoSpec = new LinkedHashMap<>();
        repoSpec.put("interval", sync.interval());
        // keys in flux's (alphabetical) order
        if (sync.recurseSubmodules()) {
            repoSpec.put("recurseSubmodules", true);
        }
        repoSpec.put("ref", Map.of("branch", sync.branch()));
        if (sync.secretName() != null) {
            repoSpec.put("secretRef", Map.of("name", sync.secretName()));
        }
        if (!sync.sparseCheckout().isEmpty()) {
            repoSpec.put("sparseCheckout", sync.sparseCheckout());
        }
        repoSpec.put("url", sync.url());
        repo.put("spec", repoSpec);

        Map<String, Object> kustomization = object("kustomize.toolkit.fluxcd.io/v1", "Kustomization", sync);
        Map<String, Object> kSpec = new LinkedHashMap<>();
        kSpec.put("interval", "10m0s");
        kSpec.put("path", "./" + sync.path());
        kSpec.put("prune", true);
        Map<String, Object> sourceRef = new LinkedHashMap<>();
        sourceRef.put("kind", "GitRepository");
        sourceRef.put("name", sync.name());
        kSpec.put("sourceRef", sourceRef);
        kustomization.put("spec", kSpec);

        StringBuilder out = new StringBuilder();
        for (Map<String, Object> o : List.of(repo, kustomization)) {
            out.append("---\n");
            YamlWriter.writeDocument(o, out);
        }
        return out.toString();
    }

    /** The kustomization.yaml of the directory; with {@code localControllers}, the zero-replica patch. */
    public static String kustomization(boolean localControllers) {
        StringBuilder k = new StringBuilder();
        k.append("apiVersion: kustomize.config.k8s.io/v1beta1\n");
        k.append("kind: Kustomization\n");
        k.append("resources:\n");
        k.append("  - ").append(COMPONENTS_FILE).append('\n');
        k.append("  - ").append(SYNC_FILE).append('\n');
        if (localControllers) {
            k.append("patches:\n").append(InstallManifests.localControllersPatch());
        }
        return k.toString();
    }

    /** The components file: a header naming version and components, then the rendered install. */
    public static String components(String version, List<String> components, String renderedYaml) {
        return "---\n# Currents version: " + version + "\n# Components: " + String.join(",", components) + "\n" + renderedYaml;
    }

    private static Map<String, Object> object(String apiVersion, String kind, Sync sync) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("apiVersion", apiVersion);
        o.put("kind", kind);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", sync.name());
        metadata.put("namespace", sync.namespace());
        o.put("metadata", metadata);
        return o;
    }
}
