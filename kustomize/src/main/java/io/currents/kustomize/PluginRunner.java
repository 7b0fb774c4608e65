package io.currents.kustomize;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a kustomization's generators, transformers and validators as kustomize does: first the built-in
 * plugins its fields configure (in kustomize's fixed order), then the entries of {@code generators:},
 * {@code transformers:} and {@code validators:}: inline YAML objects, files of them, or kustomization
 * directories whose output objects are the plugin configurations. Only built-in plugins
 * ({@code apiVersion: builtin}) run; exec, Go and container plugins are refused as kustomize refuses them
 * without {@code --enable-alpha-plugins}.
 */
final class PluginRunner {
    private PluginRunner() {
    }

    /** A configured plugin and where it was configured (for origin and transformer annotations). */
    record Configured<T>(T plugin, Origin origin) {
    }

    // ---- generators ----

    static void runGenerators(KustTarget kt, KustTarget.Accumulator ra) {
        List<Configured<BuiltinPlugin.Generator>> gens = new ArrayList<>(BuiltinConfigurators.generators(kt));
        List<Configured<BuiltinPlugin.Generator>> external;
        try {
            external = configureExternal(kt, kt.k.strings("generators"), BuiltinPlugin.Generator.class, "generator");
        } catch (KustomizeException e) {
            throw new KustomizeException("loading generator plugins: " + e.getMessage(), e);
        }
        gens.addAll(external);
        for (Configured<BuiltinPlugin.Generator> g : gens) {
            List<Resource> out = g.plugin().generate();
            if (g.origin() != null) {
                for (Resource r : out) {
                    if (r.origin == null) {
                        r.origin = g.origin();
                    }
                }
            }
            for (Resource r : out) {
                try {
                    Generators.absorb(ra.resources, r);
                } catch (KustomizeException e) {
                    throw new KustomizeException("merging from generator " + g.plugin().getClass().getSimpleName() + ": "
                            + e.getMessage(), e);
                }
            }
        }
    }

    // ---- transformers ----

    static void runTransformers(KustTarget kt, KustTarget.Accumulator ra) {
        List<Configured<BuiltinPlugin.Transformer>> ts = new ArrayList<>(BuiltinConfigurators.transformers(kt, ra.config));
        ts.addAll(configureExternal(kt, kt.k.strings("transformers"), BuiltinPlugin.Transformer.class, "transformer"));
        for (Configured<BuiltinPlugin.Transformer> t : ts) {
            t.plugin().transform(ra.resources);
            if (t.origin() != null) {
                for (Resource r : ra.resources.list) {
                    if (r.origin == null) {
                        r.origin = t.origin();
                    } else {
                        r.transformations.add(t.origin());
                    }
                }
            }
            ra.resources.list.removeIf(Resource::isEmpty);
        }
    }

    // ---- validators ----

    static void runValidators(KustTarget kt, KustTarget.Accumulator ra) {
        List<Configured<BuiltinPlugin.Transformer>> vs = configureExternal(kt, kt.k.strings("validators"),
                BuiltinPlugin.Transformer.class, "transformer");
        for (Configured<BuiltinPlugin.Transformer> v : vs) {
            List<Map<String, Object>> before = snapshot(ra.resources);
            v.plugin().transform(ra.resources);
            // kustomize compares YAML nodes: removing a validated-by label rewrites the labels, which
            // never compares equal, so any object carrying that label fails the check
            boolean labelled = false;
            for (Resource r : ra.resources.list) {
                Map<String, Object> labels = Nodes.asMap(Nodes.get(r.obj, "metadata", "labels"));
                labelled |= labels != null && labels.containsKey("validated-by");
            }
            List<Map<String, Object>> after = snapshot(ra.resources);
            if (labelled || !before.equals(after)) {
                throw new KustomizeException("validator shouldn't modify the resource map: the objects changed");
            }
        }
    }

    private static List<Map<String, Object>> snapshot(ResMap m) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Resource r : m.list) {
            out.add(Nodes.copyMap(r.obj));
        }
        return out;
    }

    // ---- plugins from generators:/transformers:/validators: ----

    /**
     * kustomize's configureExternalGenerators/Transformers: inline entries are objects; other entries are
     * accumulated like resources (files, directories, remote targets); every object is a plugin config.
     */
    static <T> List<Configured<T>> configureExternal(KustTarget kt, List<String> entries, Class<T> type, String what) {
        KustTarget.Accumulator configs = new KustTarget.Accumulator();
        List<String> paths = new ArrayList<>();
        for (String p : entries) {
            List<Resource> inline;
            try {
                inline = ResourceFactory.sliceFromBytes(p, "inline " + what);
            } catch (KustomizeException e) {
                paths.add(p);
                continue;
            }
            for (Resource r : inline) {
                if (kt.origin != null) {
                    r.origin = kt.origin.append(kt.kustFileName);
                }
                try {
                    configs.resources.append(r);
                } catch (KustomizeException e) {
                    throw new KustomizeException("configuring external " + what + ": " + e.getMessage(), e);
                }
            }
        }
        kt.accumulateResources(configs, paths);
        List<Configured<T>> out = new ArrayList<>();
        for (Resource config : configs.resources.list) {
            try {
                BuiltinPlugin plugin = load(kt, config);
                if (!type.isInstance(plugin)) {
                    throw new KustomizeException("plugin " + config.orgId() + " not a " + what);
                }
                out.add(new Configured<>(type.cast(plugin), Origin.fromPluginConfig(config)));
            } catch (KustomizeException e) {
                // kustomize's LoadGenerators (not LoadTransformers) says which kind of plugin failed
                if (what.equals("generator")) {
                    throw new KustomizeException("failed to load generator: " + e.getMessage(), e);
                }
                throw e;
            }
        }
        return out;
    }

    /** kustomize's loadAndConfigurePlugin with built-in plugins only. */
    private static BuiltinPlugin load(KustTarget kt, Resource config) {
        Gvk gvk = config.gvk();
        if (!gvk.group().isEmpty() || !gvk.version().equals("builtin")) {
            throw new KustomizeException("external plugins disabled; unable to load external plugin '"
                    + config.orgId().gvk().kind() + "'");
        }
        BuiltinPlugin p = BuiltinConfigurators.create(gvk.kind());
        if (p == null) {
            throw new KustomizeException("unable to load builtin " + gvk);
        }
        try {
            p.configure(new BuiltinPlugin.PluginHelpers(kt.ldr, kt.options), pluginConfig(config));
        } catch (KustomizeException e) {
            throw new KustomizeException("plugin " + config.orgId() + " fails configuration: " + e.getMessage(), e);
        }
        return p;
    }

    private static Map<String, Object> pluginConfig(Resource config) {
        return Nodes.copyMap(config.obj);
    }
}
