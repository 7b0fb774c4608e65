package io.currents.kustomize;

import io.currents.kustomize.yaml.GoScalars;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code kustomize build} in Java: builds a kustomization directory into the same objects, in the same
 * order and the same YAML text, as kustomize v5.5 ({@code kubectl kustomize}).
 *
 * <pre>{@code
 * ResourceList out = Kustomizer.builder().build().build(Path.of("overlays/prod"));
 * System.out.print(out.toYaml());
 * }</pre>
 */
public final class Kustomizer {
    /** kustomize's file load restrictions. */
    public enum LoadRestrictions {
        /** Files must resolve (symlinks followed) to a place in or below their kustomization's directory. */
        ROOT_ONLY,
        /** Any readable file may be loaded. */
        NONE
    }

    /** Build options; see {@link Builder}. */
    public record Options(boolean generateMissingKustomization, RemoteResources remoteResources, long maxFileBytes,
                          LoadRestrictions loadRestrictions, Path secureRoot, Helm helm) {
        /** Whether remote (http, git) resources are fetched. */
        public boolean allowRemoteResources() {
            return remoteResources.isEnabled();
        }
    }

    /**
     * Helm for {@code helmCharts} (kustomize's {@code --enable-helm} and its {@code --helm-*} settings).
     *
     * @param kubeVersion  when set, the Kubernetes version charts are rendered for unless a chart entry sets its own
     * @param apiVersions  when not empty, the API versions charts see unless a chart entry sets its own
     */
    public record Helm(ChartInflator inflator, String kubeVersion, List<String> apiVersions, boolean debug) {
        public Helm {
            java.util.Objects.requireNonNull(inflator);
            apiVersions = apiVersions == null ? List.of() : List.copyOf(apiVersions);
        }
    }

    private final Options options;

    private Kustomizer(Options options) {
        this.options = options;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A kustomizer with kustomize's defaults (root-only loading, no remote resources). */
    public static Kustomizer create() {
        return builder().build();
    }

    public Options options() {
        return options;
    }

    /** Configures a {@link Kustomizer}. */
    public static final class Builder {
        private boolean generateMissingKustomization;
        private RemoteResources remoteResources = RemoteResources.disabled();
        private long maxFileBytes = 64L * 1024 * 1024;
        private LoadRestrictions loadRestrictions = LoadRestrictions.ROOT_ONLY;
        private Path secureRoot;
        private Helm helm;

        /** Like Flux: a directory without a kustomization file gets one listing its YAML files. */
        public Builder generateMissingKustomization(boolean v) {
            this.generateMissingKustomization = v;
            return this;
        }

        /**
         * Whether and within which limits remote resources (Git repositories in kustomize's URL forms, files
         * over http(s)) are fetched; {@link RemoteResources#disabled()} by default.
         */
        public Builder remoteResources(RemoteResources v) {
            this.remoteResources = java.util.Objects.requireNonNull(v);
            return this;
        }

        /** Shorthand: {@link RemoteResources#enabled()} with its default limits, or {@link RemoteResources#disabled()}. */
        public Builder allowRemoteResources(boolean v) {
            return remoteResources(v ? RemoteResources.enabled() : RemoteResources.disabled());
        }

        /** Largest file the build reads; larger ones fail the build. */
        public Builder maxFileBytes(long v) {
            if (v <= 0) {
                throw new IllegalArgumentException("maxFileBytes must be positive");
            }
            this.maxFileBytes = v;
            return this;
        }

        public Builder loadRestrictions(LoadRestrictions v) {
            this.loadRestrictions = v;
            return this;
        }

        /**
         * Confines every file and base to this directory (symlinks resolved), whatever the load
         * restrictions: Flux builds with LoadRestrictionsNone inside the source's root like this.
         */
        public Builder secureRoot(Path dir) {
            this.secureRoot = dir;
            return this;
        }

        /**
         * Enables {@code helmCharts} (kustomize's {@code --enable-helm}) with this renderer; without one a
         * kustomization naming charts fails, as kustomize does without the flag. Helm's settings are
         * kustomize's defaults (no kube version, no API versions, no debug).
         */
        public Builder helm(ChartInflator v) {
            return helm(new Helm(v, null, List.of(), false));
        }

        /** Enables {@code helmCharts} with these settings (null disables them, the default). */
        public Builder helm(Helm v) {
            this.helm = v;
            return this;
        }

        public Kustomizer build() {
            Path root = null;
            if (secureRoot != null) {
                try {
                    root = secureRoot.toAbsolutePath().normalize().toRealPath();
                } catch (java.io.IOException e) {
                    throw new KustomizeException("secure root '" + secureRoot + "' is not a readable directory");
                }
            }
            return new Kustomizer(new Options(generateMissingKustomization, remoteResources, maxFileBytes,
                    loadRestrictions, root, helm));
        }
    }

    /**
     * Builds the kustomization in a directory. Remote bases are cloned into temporary directories that are
     * deleted before this returns.
     */
    public ResourceList build(Path dir) {
        List<BuildWarning> warnings = new ArrayList<>();
        try {
            return build(dir, warnings);
        } catch (KustomizeException e) {
            throw e.withWarnings(warnings);
        }
    }

    private ResourceList build(Path dir, List<BuildWarning> warnings) {
        OpenApi.reset();
        try (RemoteFetcher remote = new RemoteFetcher(options.remoteResources())) {
            Loader ldr = Loader.atRoot(dir, options, remote);
            KustTarget kt = KustTarget.load(ldr, options, warnings);
            kt.applyOpenApi(true);
            ResMap m = kt.makeCustomizedResMap();
            sort(m, kt.k);
            List<String> buildMetadata = kt.k.strings("buildMetadata");
            boolean origins = buildMetadata.contains("originAnnotations");
            boolean transformations = buildMetadata.contains("transformerAnnotations");
            List<Map<String, Object>> out = new ArrayList<>(m.size());
            for (Resource r : m) {
                if (buildMetadata.contains("managedByLabel")) {
                    MapEntryTransformer.setEntry(Nodes.getOrCreateMap(r.metadata(), "labels"),
                            "app.kubernetes.io/managed-by", "kustomize-(devel)");
                }
                finishAnnotations(r, origins, transformations);
                out.add(Nodes.asMap(normalize(r.obj)));
            }
            return new ResourceList(out, warnings);
        } catch (KustomizeException e) {
            throw withoutPasswords(e);
        } catch (StackOverflowError e) {
            throw new KustomizeException("building '" + dir + "': input nested too deeply");
        } catch (RuntimeException e) {
            throw new KustomizeException("building '" + dir + "': " + e.getMessage(), e);
        } finally {
            OpenApi.clear();
        }
    }

    private static final List<String> BUILD_ANNOTATIONS = List.of("internal.config.kubernetes.io/previousKinds",
            "internal.config.kubernetes.io/previousNames", "internal.config.kubernetes.io/prefixes",
            "internal.config.kubernetes.io/suffixes", "internal.config.kubernetes.io/previousNamespaces",
            "internal.config.kubernetes.io/allowNameChange", "internal.config.kubernetes.io/allowKindChange",
            "internal.config.kubernetes.io/refBy", "internal.config.kubernetes.io/generatorBehavior",
            "internal.config.kubernetes.io/needsHashSuffix", "internal.config.kubernetes.io/path",
            "internal.config.kubernetes.io/index", "internal.config.kubernetes.io/seqindent",
            "internal.config.kubernetes.io/id", "internal.config.kubernetes.io/annotations-migration-resource-id",
            "config.kubernetes.io/path", "config.kubernetes.io/index", "config.k8s.io/id");

    /**
     * kustomize's last steps on annotations: build annotations removed, then the origin and
     * transformations annotations set or removed as asked. Each rewrite goes through kyaml's
     * SetAnnotations, which turns every value into a string and drops an empty map.
     */
    private static void finishAnnotations(Resource r, boolean origins, boolean transformations) {
        Map<String, Object> md = Nodes.asMap(r.obj.get("metadata"));
        Map<String, Object> ann = md == null ? null : Nodes.asMap(md.get("annotations"));
        Map<String, String> result = new LinkedHashMap<>();
        if (ann != null) {
            for (String k : ann.keySet()) {
                result.put(k, Nodes.entryText(ann, k));
            }
        }
        boolean rewrite = !result.isEmpty();
        for (String b : BUILD_ANNOTATIONS) {
            result.remove(b);
        }
        if (origins && r.origin != null) {
            result.put("config.kubernetes.io/origin", r.origin.toYaml());
            rewrite = true;
        } else if (!origins) {
            result.remove("config.kubernetes.io/origin");
            rewrite = true;
        }
        if (transformations && !r.transformations.isEmpty()) {
            result.put("alpha.config.kubernetes.io/transformations", Origin.listToYaml(r.transformations));
            rewrite = true;
        } else if (!transformations) {
            result.remove("alpha.config.kubernetes.io/transformations");
            rewrite = true;
        }
        if (!rewrite) {
            return;
        }
        if (md == null) {
            md = r.metadata();
        }
        md.remove("annotations");
        if (!result.isEmpty()) {
            md.put("annotations", new LinkedHashMap<String, Object>(new java.util.TreeMap<>(result)));
        }
    }

    private static final java.util.regex.Pattern URL_PASSWORD =
            java.util.regex.Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://[^/\\s:@']+):[^@/\\s']+@");

    /**
     * A remote URL may carry credentials ({@code https://user:token@host/...}); messages end up in events
     * and logs, so the password is masked and the (unmasked) chain of causes dropped.
     */
    private static KustomizeException withoutPasswords(KustomizeException e) {
        String m = e.getMessage();
        if (m == null || !URL_PASSWORD.matcher(m).find()) {
            return e;
        }
        return new KustomizeException(URL_PASSWORD.matcher(m).replaceAll("$1:***@"));
    }

    /** kustomize's final JSON round trip: integral floats become integers; NaN and infinities fail. */
    private static Object normalize(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> r = new LinkedHashMap<>(Math.max(4, m.size() * 2));
            for (Map.Entry<?, ?> e : m.entrySet()) {
                r.put((String) e.getKey(), normalize(e.getValue()));
            }
            return r;
        }
        if (v instanceof List<?> l) {
            List<Object> r = new ArrayList<>(l.size());
            for (Object x : l) {
                r.add(normalize(x));
            }
            return r;
        }
        try {
            return GoScalars.normalizeNumber(v);
        } catch (IllegalArgumentException e) {
            throw new KustomizeException(e.getMessage());
        }
    }

    private static final List<String> ORDER_FIRST = List.of("Namespace", "ResourceQuota", "StorageClass",
            "CustomResourceDefinition", "ServiceAccount", "PodSecurityPolicy", "Role", "ClusterRole", "RoleBinding",
            "ClusterRoleBinding", "ConfigMap", "Secret", "Endpoints", "Service", "LimitRange", "PriorityClass",
            "PersistentVolume", "PersistentVolumeClaim", "Deployment", "StatefulSet", "CronJob", "PodDisruptionBudget");
    private static final List<String> ORDER_LAST = List.of("MutatingWebhookConfiguration",
            "ValidatingWebhookConfiguration");

    private static void sort(ResMap m, Kustomization k) {
        Map<String, Object> so = k.object("sortOptions");
        List<String> first = ORDER_FIRST;
        List<String> last = ORDER_LAST;
        if (so != null) {
            String order = Kustomization.asString(so.get("order"), "SortOptions.order");
            Map<String, Object> legacy = Nodes.asMap(so.get("legacySortOptions"));
            if (!order.equals("fifo") && !order.equals("legacy")) {
                throw new KustomizeException("the field 'sortOptions.order' must be one of [fifo, legacy]");
            }
            if (order.equals("fifo")) {
                if (legacy != null) {
                    throw new KustomizeException("the field 'sortOptions.legacySortOptions' is set but the selected "
                            + "sort order is 'fifo', not 'legacy'");
                }
                return;
            }
            if (legacy != null) {
                first = Kustomization.asStrings(legacy.get("orderFirst"), "LegacySortOptions.orderFirst");
                last = Kustomization.asStrings(legacy.get("orderLast"), "LegacySortOptions.orderLast");
            }
        }
        Map<String, Integer> typeOrders = new HashMap<>();
        for (int i = 0; i < first.size(); i++) {
            typeOrders.put(first.get(i), -first.size() + i);
        }
        for (int i = 0; i < last.size(); i++) {
            typeOrders.put(last.get(i), 1 + i);
        }
        List<Resource> list = new ArrayList<>(m.list);
        list.sort((a, b) -> compare(a.curId(), b.curId(), typeOrders));
        m.list.clear();
        m.list.addAll(list);
    }

    private static int compare(ResId a, ResId b, Map<String, Integer> typeOrders) {
        Gvk ga = a.gvk();
        Gvk gb = b.gvk();
        if (!ga.equals(gb)) {
            int ia = typeOrders.getOrDefault(ga.kind(), 0);
            int ib = typeOrders.getOrDefault(gb.kind(), 0);
            if (ia != ib) {
                return Integer.compare(ia, ib);
            }
            if (ga.kind().equals("Namespace") && gb.kind().equals("Namespace")
                    && (ga.group().isEmpty() || gb.group().isEmpty())) {
                return gb.legacySortString().compareTo(ga.legacySortString());
            }
            return ga.legacySortString().compareTo(gb.legacySortString());
        }
        return sortString(a).compareTo(sortString(b));
    }

    private static String sortString(ResId id) {
        return id.gvk().legacySortString() + "|" + (id.namespace().isEmpty() ? "~X" : id.namespace()) + "|"
                + (id.name().isEmpty() ? "~N" : id.name());
    }
}
