package io.currents.kustomize;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds one kustomization directory as kustomize's KustTarget does: accumulates its resources and bases,
 * merges its transformer configuration, runs its generators, adds its components, runs its
 * transformers and validators and binds its vars; at the top it then adds content hashes, fixes name
 * references, resolves vars and drops local-config objects.
 */
final class KustTarget {
    final Loader ldr;
    final Kustomization k;
    final Kustomizer.Options options;
    final String kustomizationPath;
    final String kustFileName;
    /** Where this level's objects come from (kustomize's kt.origin): null unless build metadata is asked for. */
    Origin origin;
    /** The build metadata in force: the top kustomization's, which every level inherits. */
    List<String> buildMetadata;
    /** This build's notices, in the order kustomize prints them; shared by every level of one build. */
    final List<BuildWarning> warnings;

    /** What one level of the build has gathered (kustomize's ResAccumulator). */
    static final class Accumulator {
        ResMap resources = new ResMap();
        TransformerConfig config = new TransformerConfig();
        Map<String, Vars.Var> vars = new LinkedHashMap<>();

        void mergeAccumulator(Accumulator other) {
            resources.appendAll(other.resources);
            config = config.merge(other.config);
            Vars.mergeSet(this, other.vars);
        }
    }

    private KustTarget(Loader ldr, Kustomization k, Kustomizer.Options options, String kustFileName,
            List<BuildWarning> warnings) {
        this.ldr = ldr;
        this.warnings = warnings;
        this.k = k;
        this.options = options;
        this.kustFileName = kustFileName;
        this.kustomizationPath = ldr.root.resolve(kustFileName).toString();
        this.buildMetadata = k.strings("buildMetadata");
    }

    /** kustomize's KustTarget.Load: exactly one kustomization file, decoded and checked. */
    static KustTarget load(Loader ldr, Kustomizer.Options options, List<BuildWarning> warnings) {
        List<String> found = new ArrayList<>();
        for (String n : Kustomization.FILE_NAMES) {
            if (ldr.isFile(n)) {
                found.add(n);
            }
        }
        if (found.size() > 1) {
            throw new KustomizeException("Found multiple kustomization files under: " + ldr.root + "\n");
        }
        if (found.isEmpty()) {
            if (options.generateMissingKustomization() && ldr.pathInClone() == null) {
                // Flux's generation is for the source's own directories, not for remote bases
                return new KustTarget(ldr, FluxKustomizationGenerator.generate(ldr, options), options,
                        "kustomization.yaml", warnings);
            }
            throw new KustomizeException("unable to find one of 'kustomization.yaml', 'kustomization.yml' or "
                    + "'Kustomization' in directory '" + ldr.root + "'");
        }
        String path = ldr.root.resolve(found.get(0)).toString();
        Kustomization k = Kustomization.parse(ldr.read(found.get(0)), path);
        // kustomize prints these as soon as the file decodes, before its fix-ups and checks can fail
        for (String w : k.deprecations) {
            warnings.add(new BuildWarning(w, false));
        }
        k.check(ldr.root.toString());
        return new KustTarget(ldr, k, options, found.get(0), warnings);
    }

    // ---- top level ----

    ResMap makeCustomizedResMap() {
        origin = buildMetadata.isEmpty() ? null : Origin.EMPTY;
        Accumulator ra = accumulateTarget(new Accumulator());
        // hashes, name references and vars are done once, at the top, on everything gathered
        Generators.addHashesToNames(ra.resources);
        NameReferences.fix(ra.resources, ra.config);
        Vars.resolve(ra.resources, ra.vars, ra.config.varReference, warnings);
        ignoreLocal(ra.resources);
        return ra.resources;
    }

    /** kustomize's IgnoreLocal: objects annotated config.kubernetes.io/local-config (not "false") are dropped. */
    private static void ignoreLocal(ResMap m) {
        for (Resource r : m.list) {
            if (!r.isEmpty()) {
                ResourceFactory.validate(r.obj);
            }
        }
        m.list.removeIf(r -> {
            if (r.isEmpty()) {
                return true;
            }
            Map<String, String> a = r.annotations();
            return a.containsKey("config.kubernetes.io/local-config")
                    && !"false".equals(a.get("config.kubernetes.io/local-config"));
        });
    }

    // ---- accumulation ----

    Accumulator accumulateTarget(Accumulator ra) {
        try {
            accumulateResources(ra, k.strings("resources"));
        } catch (KustomizeException e) {
            throw new KustomizeException("accumulating resources: " + e.getMessage(), e);
        }
        ra.config = ra.config.merge(TransformerConfig.make(ldr, k.strings("configurations")));
        List<String> crds = k.strings("crds");
        TransformerConfig crdConfig;
        try {
            crdConfig = Crds.load(ldr, crds);
        } catch (KustomizeException e) {
            throw new KustomizeException("loading CRDs [" + String.join(" ", crds) + "]: " + e.getMessage(), e);
        }
        ra.config = ra.config.merge(crdConfig);
        PluginRunner.runGenerators(this, ra);
        try {
            for (String c : k.strings("components")) {
                ra = accumulateComponent(ra, c);
            }
        } catch (KustomizeException e) {
            throw new KustomizeException("accumulating components: " + e.getMessage(), e);
        }
        PluginRunner.runTransformers(this, ra);
        PluginRunner.runValidators(this, ra);
        Vars.mergeVars(ra, Vars.declared(k));
        return ra;
    }

    /** kustomize's accumulateResources: each path is a file of objects, else a directory or a Git target. */
    void accumulateResources(Accumulator ra, List<String> paths) {
        for (String path : paths) {
            if (ldr.refusedAsRemote(path)) {
                ldr.refuseRemote(path);
            }
            if (RemoteFetcher.isHttpUrl(path)) {
                accumulateHttp(ra, path);
                continue;
            }
            if (ldr.isFile(path)) {
                try {
                    accumulateFile(ra, path);
                } catch (KustomizeException e) {
                    // kustomize then tries the path as a base, which a file is not; malformed YAML is reported alone
                    if (e.getMessage().contains("MalformedYAMLError")) {
                        throw e;
                    }
                    throw new KustomizeException("accumulation err='" + e.getMessage() + "': must build at directory: '"
                            + ldr.resolve(path) + "': file is not directory", e);
                }
                continue;
            }
            RepoSpec spec = RepoSpec.parse(path);
            if (spec != null) {
                accumulateDirectory(ra, ldr.remoteChild(spec), false, path);
            } else if (ldr.isDirectory(path)) {
                // kustomize tried the path as a file first and reports both failures
                String asFile = "accumulating resources from '" + path + "': '" + ldr.resolve(path) + "' must resolve to a file";
                Loader child;
                try {
                    child = ldr.child(path);
                } catch (KustomizeException e) {
                    throw new KustomizeException("accumulation err='" + asFile + "': " + e.getMessage(), e);
                }
                try {
                    accumulateDirectory(ra, child, false, path);
                } catch (KustomizeException e) {
                    throw new KustomizeException("accumulation err='" + asFile + "': " + e.getMessage(), e);
                }
            } else {
                java.nio.file.Path abs = ldr.resolve(path);
                throw new KustomizeException("accumulation err='accumulating resources from '" + path + "': "
                        + ldr.missingFile(abs) + "': must build at directory: not a valid directory: "
                        + Loader.evalSymlinkFailure(abs));
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
                rs = ResourceFactory.sliceFromBytes(new String(d.body(), java.nio.charset.StandardCharsets.UTF_8), path);
                fileProblem = null;
            } catch (KustomizeException e) {
                fileProblem = e.getMessage();
                malformed = fileProblem.startsWith("MalformedYAMLError");
            }
            if (fileProblem == null) {
                appendAll(ra, path, rs);
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
        String text;
        try {
            text = ldr.read(path);
        } catch (KustomizeException e) {
            throw new KustomizeException("accumulating resources from '" + path + "': " + e.getMessage(), e);
        }
        List<Resource> rs;
        try {
            rs = ResourceFactory.sliceFromBytes(text, ldr.resolve(path).toString());
        } catch (KustomizeException e) {
            throw new KustomizeException("accumulating resources from '" + path + "': " + e.getMessage(), e);
        }
        appendAll(ra, path, rs);
    }

    private void appendAll(Accumulator ra, String path, List<Resource> rs) {
        Origin o = origin == null ? null : origin.append(path);
        for (Resource r : rs) {
            if (o != null) {
                r.origin = o;
            }
            try {
                ra.resources.append(r);
            } catch (KustomizeException e) {
                throw new KustomizeException("merging resources from '" + path + "': " + e.getMessage(), e);
            }
        }
    }

    private Accumulator accumulateDirectory(Accumulator ra, Loader child, boolean isComponent, String path) {
        Origin saved = origin;
        if (origin != null) {
            origin = origin.append(path);
        }
        try {
            return accumulateDirectory(ra, child, isComponent);
        } finally {
            origin = saved;
        }
    }

    private Accumulator accumulateDirectory(Accumulator ra, Loader child, boolean isComponent) {
        KustTarget sub;
        try {
            sub = load(child, options, warnings);
        } catch (KustomizeException e) {
            throw new KustomizeException("couldn't make target for path '" + child.root + "': " + e.getMessage(), e);
        }
        sub.buildMetadata = buildMetadata;
        sub.origin = origin;
        sub.applyOpenApi(false);
        if (isComponent && !sub.k.isComponent()) {
            throw new KustomizeException("expected kind 'Component' for path '" + child.root + "' but got '"
                    + (sub.k.str("kind").isEmpty() ? "Kustomization" : sub.k.str("kind")) + "'");
        } else if (!isComponent && sub.k.isComponent()) {
            throw new KustomizeException("expected kind != 'Component' for path '" + child.root + "'");
        }
        Accumulator subRa;
        try {
            if (isComponent) {
                subRa = sub.accumulateTarget(ra);
                ra = new Accumulator();
            } else {
                subRa = sub.accumulateTarget(new Accumulator());
            }
        } catch (KustomizeException e) {
            throw new KustomizeException("recursed accumulation of path '" + child.root + "': " + e.getMessage(), e);
        }
        try {
            ra.mergeAccumulator(subRa);
        } catch (KustomizeException e) {
            throw new KustomizeException("recursed merging from path '" + child.root + "': " + e.getMessage(), e);
        }
        return ra;
    }

    /** Applies this kustomization's {@code openapi} field (kyaml's SetSchema). */
    void applyOpenApi(boolean reset) {
        Map<String, String> field = k.stringMap("openapi");
        byte[] bytes = null;
        if (field.containsKey("path")) {
            bytes = ldr.readBytes(field.get("path"));
        }
        OpenApi.current().set(field, bytes, reset);
    }

    private Accumulator accumulateComponent(Accumulator ra, String path) {
        if (ldr.refusedAsRemote(path)) {
            ldr.refuseRemote(path);
        }
        Loader child;
        try {
            if (RepoSpec.parse(path) == null && ldr.isFile(path)) {
                throw new KustomizeException("must build at directory: '" + ldr.resolve(path) + "': file is not directory");
            }
            child = ldr.child(path);
        } catch (KustomizeException e) {
            // kustomize wraps with %q: quotes and newlines inside are escaped
            throw new KustomizeException("loader.New " + PatchTransformers.quote(e.getMessage()), e);
        }
        try {
            return accumulateDirectory(ra, child, true, path);
        } catch (KustomizeException e) {
            throw new KustomizeException("accumulateDirectory: " + PatchTransformers.quote(e.getMessage()), e);
        }
    }
}
