package io.currents.kustomize;

import io.currents.kustomize.yaml.YamlException;
import io.currents.kustomize.yaml.YamlReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds one kustomization directory: accumulates its resources, bases and components, runs its
 * generators and transformers in kustomize's order, and (at the top) finishes the build.
 */
final class KustTarget {
    final Loader ldr;
    final Kustomization k;
    final Kustomizer.Options options;
    final String kustomizationPath;

    /** What one level of the build has gathered (kustomize's ResAccumulator). */
    static final class Accumulator {
        final ResMap resources = new ResMap();
        final TransformerConfig config = TransformerConfig.defaults();
        final List<Vars.Var> vars = new ArrayList<>();
    }

    private KustTarget(Loader ldr, Kustomization k, Kustomizer.Options options, String kustomizationPath) {
        this.ldr = ldr;
        this.k = k;
        this.options = options;
        this.kustomizationPath = kustomizationPath;
    }

    static KustTarget load(Loader ldr, Kustomizer.Options options) {
        List<String> found = new ArrayList<>();
        for (String n : Kustomization.FILE_NAMES) {
            if (ldr.isFile(n)) {
                found.add(n);
            }
        }
        if (found.size() > 1) {
            throw new KustomizeException("Found multiple kustomization files under: " + ldr.root);
        }
        if (found.isEmpty()) {
            if (options.generateMissingKustomization() && ldr.pathInClone() == null) {
                // Flux's generation is for the source's own directories, not for remote bases
                Kustomization gen = FluxKustomizationGenerator.generate(ldr, options);
                return new KustTarget(ldr, gen, options, ldr.root.resolve("kustomization.yaml").toString());
            }
            throw new KustomizeException("unable to find one of 'kustomization.yaml', 'kustomization.yml' or "
                    + "'Kustomization' in directory '" + ldr.root + "'");
        }
        String path = ldr.root.resolve(found.get(0)).toString();
        Kustomization k;
        try {
            k = Kustomization.parse(ldr.read(found.get(0)), path);
        } catch (KustomizeException e) {
            throw new KustomizeException(e.getMessage() + " (in " + path + ")", e);
        }
        return new KustTarget(ldr, k, options, path);
    }

    // ---- top level ----

    ResMap makeCustomizedResMap() {
        Accumulator ra = accumulateTarget(new Accumulator());
        // hashes, name references and vars are done once, at the top, on everything gathered
        Generators.addHashesToNames(ra.resources);
        NameReferences.fix(ra.resources, ra.config);
        Vars.resolve(ra.resources, ra.vars, ra.config);
        ra.resources.list.removeIf(r -> "true".equals(r.annotations().get("config.kubernetes.io/local-config")));
        return ra.resources;
    }

    // ---- accumulation ----

    Accumulator accumulateTarget(Accumulator ra) {
        try {
            List<String> resources = new ArrayList<>(k.strings("resources"));
            resources.addAll(k.strings("bases"));
            accumulateResources(ra, resources);
        } catch (KustomizeException e) {
            throw new KustomizeException("accumulating resources: " + e.getMessage(), e);
        }
        TransformerConfig tc = Configurations.load(ldr, k.strings("configurations"));
        ra.config.merge(tc);
        ra.config.merge(Configurations.fromCrds(ldr, k.strings("crds")));
        Generators.run(this, ra);
        try {
            for (String c : k.strings("components")) {
                accumulateComponent(ra, c);
            }
        } catch (KustomizeException e) {
            throw new KustomizeException("accumulating components: " + e.getMessage(), e);
        }
        Transformers.run(this, ra);
        for (String f : new String[] {"generators", "transformers", "validators", "helmCharts",
                "helmChartInflationGenerator"}) {
            if (k.raw.get(f) != null && !(k.raw.get(f) instanceof List<?> l && l.isEmpty())) {
                throw new KustomizeException("'" + f + "' in " + kustomizationPath
                        + " is not supported: plugins and Helm charts are not run by this build");
            }
        }
        Vars.merge(ra, k);
        return ra;
    }

    private void accumulateResources(Accumulator ra, List<String> paths) {
        for (String path : paths) {
            if (ldr.refusedAsRemote(path)) {
                ldr.refuseRemote(path);
            }
            if (RemoteFetcher.isHttpUrl(path)) {
                accumulateHttp(ra, path);
                continue;
            }
            if (ldr.isFile(path)) {
                accumulateFile(ra, path);
                continue;
            }
            RepoSpec spec = RepoSpec.parse(path);
            if (spec != null) {
                accumulateDirectory(ra, ldr.remoteChild(spec), false, path);
            } else if (ldr.isDirectory(path)) {
                Loader child = ldr.child(path);
                accumulateDirectory(ra, child, false, path);
            } else {
                String abs = ldr.resolve(path).toString();
                throw new KustomizeException("accumulation err='accumulating resources from '" + path + "': open "
                        + abs + ": no such file or directory': must build at directory: not a valid directory: "
                        + "evalsymlink failure on '" + abs + "' : lstat " + abs + ": no such file or directory");
            }
        }
    }

    /**
     * An http(s) resource, decided as kustomize does: GET it; a 2xx body that reads as objects is a file,
     * anything else that parses as a Git URL is cloned as a kustomization (a 404 for
     * {@code https://host/org/repo//dir} is normal), otherwise the build fails naming the URL.
     */
    private void accumulateHttp(Accumulator ra, String path) {
        RepoSpec spec;
        String notRepo = "";
        try {
            spec = RepoSpec.parse(path);
        } catch (KustomizeException e) {
            spec = null;
            notRepo = "; as a Git URL: " + e.getMessage();
        }
        RemoteFetcher.Download d;
        try {
            d = ldr.tryDownload(path);
        } catch (KustomizeException e) {
            // the host cannot be reached, answered too slowly or too much: Git would fare no better
            throw new KustomizeException("accumulating resources from '" + path + "': " + e.getMessage(), e);
        }
        String fileProblem;
        boolean malformed = false;
        if (d.ok()) {
            List<Resource> rs = null;
            try {
                rs = parseResources(new String(d.body(), java.nio.charset.StandardCharsets.UTF_8), path);
                fileProblem = null;
            } catch (KustomizeException e) {
                fileProblem = e.getMessage();
                malformed = fileProblem.startsWith("MalformedYAMLError");
            }
            if (fileProblem == null) {
                // kustomize's origin for a file URL reads it as a Git URL (path "notCloned" when it has no "//dir")
                String origin = "path: " + path + "\n";
                if (spec != null) {
                    origin = "path: " + (spec.kustRootPath().isEmpty() ? "notCloned"
                            : java.nio.file.Path.of(spec.kustRootPath()).normalize()) + "\nrepo: " + spec.cloneUrl()
                            + "\n" + (spec.ref().isEmpty() ? "" : "ref: " + spec.ref() + "\n");
                }
                appendAll(ra, path, rs, origin);
                return;
            }
            if (spec == null) {
                throw new KustomizeException("accumulating resources from '" + path + "': " + fileProblem + notRepo);
            }
        } else {
            fileProblem = Loader.httpStatusMessage(path, d.status());
            if (spec == null) {
                throw new KustomizeException("accumulating resources from '" + path + "': " + fileProblem + notRepo);
            }
        }
        Loader child;
        try {
            child = ldr.remoteChild(spec);
        } catch (KustomizeException e) {
            if (malformed) {
                throw new KustomizeException("accumulating resources from '" + path + "': " + fileProblem, e);
            }
            throw new KustomizeException("accumulating resources from '" + path + "': not a file (" + fileProblem
                    + ") and not a Git repository: " + e.getMessage(), e);
        }
        accumulateDirectory(ra, child, false, path);
    }

    private void accumulateFile(Accumulator ra, String path) {
        String text = ldr.read(path);
        List<Resource> rs;
        try {
            rs = parseResources(text, ldr.resolve(path).toString());
        } catch (KustomizeException e) {
            throw new KustomizeException("accumulating resources from '" + path + "': " + e.getMessage(), e);
        }
        appendAll(ra, path, rs, "path: " + relativeOrigin(path) + "\n" + originRepoLines());
    }

    private void appendAll(Accumulator ra, String path, List<Resource> rs, String origin) {
        for (Resource r : rs) {
            if (buildMetadata().contains("originAnnotations")) {
                r.origin = origin;
            }
            try {
                ra.resources.append(r);
            } catch (KustomizeException e) {
                throw new KustomizeException("accumulating resources from '" + path + "': " + e.getMessage(), e);
            }
        }
    }

    /** The repo and ref lines of an origin annotation for objects read from a remote base. */
    String originRepoLines() {
        if (originRepo == null) {
            return "";
        }
        return "repo: " + originRepo + "\n" + (originRef.isEmpty() ? "" : "ref: " + originRef + "\n");
    }

    private String originRepo;
    private String originRef = "";

    String originPrefix = "";

    String relativeOrigin(String path) {
        return originPrefix.isEmpty() ? path : originPrefix + "/" + path;
    }

    private void accumulateDirectory(Accumulator ra, Loader child, boolean isComponent, String path) {
        KustTarget sub = load(child, options);
        if (isComponent && !sub.k.isComponent()) {
            throw new KustomizeException("accumulating components: expected kind 'Component' for path '" + child.root
                    + "' but got '" + (sub.k.str("kind").isEmpty() ? "Kustomization" : sub.k.str("kind")) + "'");
        } else if (!isComponent && sub.k.isComponent()) {
            throw new KustomizeException("expected kind != 'Component' for path '" + child.root + "'");
        }
        sub.inheritBuildMetadata(this, path);
        if (isComponent) {
            sub.accumulateTarget(ra);
            return;
        }
        Accumulator subRa;
        try {
            subRa = sub.accumulateTarget(new Accumulator());
        } catch (KustomizeException e) {
            throw new KustomizeException("accumulation err='" + e.getMessage() + "'", e);
        }
        try {
            ra.resources.appendAll(subRa.resources);
        } catch (KustomizeException e) {
            throw new KustomizeException("recursed accumulation of path '" + child.root + "': " + e.getMessage(), e);
        }
        Vars.mergeAll(ra, subRa.vars, child.root.toString());
    }

    private List<String> inheritedBuildMetadata;

    private void inheritBuildMetadata(KustTarget parent, String path) {
        inheritedBuildMetadata = parent.buildMetadata();
        if (ldr.clonedHere()) {
            // the root of a remote base: origins are paths inside its repository
            RepoSpec spec = ldr.repo();
            // kustomize derives the path from "/notCloned/<dir>" and keeps "notCloned" for the repository's top
            originPrefix = spec.kustRootPath().isEmpty() ? "notCloned"
                    : java.nio.file.Path.of(spec.kustRootPath()).normalize().toString();
            originRepo = spec.cloneUrl();
            originRef = spec.ref();
            return;
        }
        originRepo = parent.originRepo;
        originRef = parent.originRef;
        originPrefix = parent.originPrefix.isEmpty() ? path : parent.originPrefix + "/" + path;
        originPrefix = java.nio.file.Path.of(originPrefix).normalize().toString();
    }

    List<String> buildMetadata() {
        return inheritedBuildMetadata != null ? inheritedBuildMetadata : k.strings("buildMetadata");
    }

    private void accumulateComponent(Accumulator ra, String path) {
        if (ldr.refusedAsRemote(path)) {
            ldr.refuseRemote(path);
        }
        if (RepoSpec.parse(path) != null) {
            accumulateDirectory(ra, ldr.child(path), true, path);
            return;
        }
        if (ldr.isFile(path)) {
            throw new KustomizeException("'" + ldr.resolve(path) + "' must be a directory so that it can used as a "
                    + "build root");
        }
        Loader child = ldr.child(path);
        accumulateDirectory(ra, child, true, path);
    }

    /** Splits a file into resources, unwrapping *List kinds (their items go last, as kustomize does). */
    static List<Resource> parseResources(String text, String file) {
        List<Object> docs;
        try {
            docs = YamlReader.readAll(text);
        } catch (YamlException e) {
            throw new KustomizeException("MalformedYAMLError: " + e.getMessage() + " in File: " + file);
        }
        List<Object> queue = new ArrayList<>(docs);
        List<Resource> out = new ArrayList<>();
        for (Object d : queue) {
            if (d == null) {
                continue;
            }
            Map<String, Object> m = Nodes.asMap(d);
            if (m == null) {
                throw new KustomizeException("missing Resource metadata");
            }
            if (m.isEmpty()) {
                continue;
            }
            validate(m);
        }
        for (int i = 0; i < queue.size(); i++) {
            Map<String, Object> m = Nodes.asMap(queue.get(i));
            if (m == null || m.isEmpty()) {
                continue;
            }
            String kind = Nodes.getString(m, "kind");
            if (kind != null && kind.endsWith("List")) {
                Object items = m.get("items");
                if (items == null) {
                    continue;
                }
                List<Object> l = Nodes.asList(items);
                if (l == null) {
                    throw new KustomizeException("expected array in " + kind + "/items, but found "
                            + items.getClass().getSimpleName());
                }
                for (Object it : l) {
                    Map<String, Object> im = Nodes.asMap(it);
                    if (im == null) {
                        throw new KustomizeException("item in " + kind + " is not an object");
                    }
                    validate(im);
                    queue.add(im);
                }
                continue;
            }
            out.add(new Resource(m));
        }
        return out;
    }

    private static void validate(Map<String, Object> m) {
        Object kind = m.get("kind");
        String k = kind == null ? "" : Nodes.scalarText(kind);
        if (k.isEmpty()) {
            throw new KustomizeException("missing kind in object " + metaString(m));
        }
        if (!k.endsWith("List") && Nodes.getString(m, "metadata", "name") == null
                || !k.endsWith("List") && Nodes.getString(m, "metadata", "name").isEmpty()) {
            throw new KustomizeException("missing metadata.name in object " + metaString(m));
        }
    }

    private static String metaString(Map<String, Object> m) {
        return "{" + Nodes.getString(m, "apiVersion") + " " + Nodes.getString(m, "kind") + " {"
                + Nodes.getString(m, "metadata", "name") + " " + Nodes.getString(m, "metadata", "namespace") + "}}";
    }
}
