package io.currents.kustomize;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One object being built, with the bookkeeping kustomize keeps in its build annotations: the ids it
 * had before renames, the prefixes and suffixes applied to its name, and generator options.
 */
final class Resource {
    Map<String, Object> obj;
    /** Ids before each rename, oldest first (kustomize's previousNames/Kinds/Namespaces). */
    List<ResId> previousIds = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    List<String> suffixes = new ArrayList<>();
    /** Generator behavior (create, merge, replace) or null for ordinary resources. */
    String behavior;
    boolean needsHashSuffix;
    /** Where the object was read or generated (kustomize's origin annotation), when build metadata is on. */
    Origin origin;
    /** The transformers that changed it (kustomize's transformations annotation), when build metadata is on. */
    List<Origin> transformations = new ArrayList<>();
    List<String> refVarNames = new ArrayList<>();

    Resource(Map<String, Object> obj) {
        this.obj = obj;
    }

    private static final String BUILD = "internal.config.kubernetes.io/";

    /**
     * An object read from a file. kustomize keeps its name history in build annotations, so an object
     * that already carries them (the output of another tool, a test fixture) is taken with that history.
     */
    static Resource read(Map<String, Object> obj) {
        Resource r = new Resource(obj);
        Map<String, Object> ann = Nodes.asMap(Nodes.get(obj, "metadata", "annotations"));
        if (ann == null || ann.isEmpty()) {
            return r;
        }
        boolean any = false;
        for (String k : ann.keySet()) {
            if (k.startsWith(BUILD)) {
                any = true;
                break;
            }
        }
        if (!any) {
            return r;
        }
        String names = csv(ann, "previousNames");
        if (names != null) {
            String[] n = names.split(",", -1);
            String nss = csv(ann, "previousNamespaces");
            String kinds = csv(ann, "previousKinds");
            String[] ns = (nss == null ? "" : nss).split(",", -1);
            String[] k = (kinds == null ? "" : kinds).split(",", -1);
            if (n.length != ns.length || n.length != k.length) {
                throw new KustomizeException("number of previous names, number of previous namespaces, number of "
                        + "previous kinds not equal");
            }
            for (int i = 0; i < n.length; i++) {
                r.previousIds.add(new ResId(new Gvk("", "", k[i]), n[i], ns[i]));
            }
        }
        String prefixes = csv(ann, "prefixes");
        if (prefixes != null) {
            r.prefixes.addAll(java.util.Arrays.asList(prefixes.split(",", -1)));
        }
        String suffixes = csv(ann, "suffixes");
        if (suffixes != null) {
            r.suffixes.addAll(java.util.Arrays.asList(suffixes.split(",", -1)));
        }
        r.needsHashSuffix = "enabled".equals(csv(ann, "needsHashSuffix"));
        String behavior = csv(ann, "generatorBehavior");
        if (behavior != null) {
            r.behavior = behavior;
        }
        ann.keySet().removeIf(key -> key.startsWith(BUILD) && !key.equals(BUILD + "path")
                && !key.equals(BUILD + "index"));
        return r;
    }

    private static String csv(Map<String, Object> ann, String name) {
        Object v = ann.get(BUILD + name);
        return v == null ? null : Nodes.scalarText(v);
    }

    Resource copy() {
        Resource r = new Resource(Nodes.copyMap(obj));
        r.previousIds = new ArrayList<>(previousIds);
        r.prefixes = new ArrayList<>(prefixes);
        r.suffixes = new ArrayList<>(suffixes);
        r.behavior = behavior;
        r.needsHashSuffix = needsHashSuffix;
        r.origin = origin;
        r.transformations = new ArrayList<>(transformations);
        r.refVarNames = new ArrayList<>(refVarNames);
        return r;
    }

    String kind() {
        return str(obj.get("kind"));
    }

    String apiVersion() {
        return str(obj.get("apiVersion"));
    }

    private Object cachedApiVersion;
    private Object cachedKind;
    private Gvk cachedGvk;

    Gvk gvk() {
        Object av = obj.get("apiVersion");
        Object k = obj.get("kind");
        if (cachedGvk == null || av != cachedApiVersion || k != cachedKind) {
            cachedGvk = Gvk.of(apiVersion(), kind());
            // kyaml decides the scope when it makes the id, which may make it parse the built-in schema later
            cachedGvk.isClusterScoped();
            cachedApiVersion = av;
            cachedKind = k;
        }
        return cachedGvk;
    }

    String name() {
        return str(Nodes.get(obj, "metadata", "name"));
    }

    String namespace() {
        return str(Nodes.get(obj, "metadata", "namespace"));
    }

    private static String str(Object o) {
        return o == null ? "" : Nodes.scalarText(o);
    }

    private ResId cachedId;
    private String cachedKey;
    private Object cachedMetadata;
    private Object cachedName;
    private Object cachedNamespace;

    ResId curId() {
        Object md = obj.get("metadata");
        Map<String, Object> m = Nodes.asMap(md);
        Object n = m == null ? null : m.get("name");
        Object ns = m == null ? null : m.get("namespace");
        Gvk g = gvk();
        ResId id = cachedId;
        if (id == null || md != cachedMetadata || n != cachedName || ns != cachedNamespace || g != id.gvk()) {
            id = new ResId(g, name(), namespace());
            cachedId = id;
            cachedKey = null;
            cachedMetadata = md;
            cachedName = n;
            cachedNamespace = ns;
        }
        return id;
    }

    /** {@link ResId#key()} of the current id, remembered while the id stays the same. */
    String curKey() {
        ResId id = curId();
        String k = cachedKey;
        if (k == null) {
            k = id.key();
            cachedKey = k;
        }
        return k;
    }

    /** All ids this resource has had, the current one last. */
    List<ResId> prevIds() {
        List<ResId> ids = previousIdsNow();
        ids.add(curId());
        return ids;
    }

    /**
     * The previous ids as kustomize reads them back from its build annotations: the stored kind, name
     * and namespace with the current group and version.
     */
    List<ResId> previousIdsNow() {
        List<ResId> ids = new ArrayList<>(previousIds.size() + 1);
        if (previousIds.isEmpty()) {
            return ids;
        }
        Gvk cur = gvk();
        for (ResId p : previousIds) {
            ids.add(new ResId(new Gvk(cur.group(), cur.version(), p.gvk().kind()), p.name(), p.namespace()));
        }
        return ids;
    }

    ResId orgId() {
        return previousIds.isEmpty() ? curId() : previousIdsNow().get(0);
    }

    /** kustomize's StorePreviousId: the current kind, name and effective namespace. */
    void storePreviousId() {
        ResId id = curId();
        previousIds.add(new ResId(id.gvk(), id.name(), id.effectiveNamespace()));
    }

    Map<String, Object> metadata() {
        return Nodes.getOrCreateMap(obj, "metadata");
    }

    void setName(String name) {
        metadata().put("name", name);
    }

    void setNamespace(String ns) {
        if (ns == null || ns.isEmpty()) {
            Map<String, Object> md = Nodes.asMap(obj.get("metadata"));
            if (md != null) {
                md.remove("namespace");
            }
        } else {
            metadata().put("namespace", ns);
        }
    }

    void setKind(String kind) {
        obj.put("kind", kind);
    }

    Map<String, String> labels() {
        return stringMap(Nodes.get(obj, "metadata", "labels"));
    }

    Map<String, String> annotations() {
        return stringMap(Nodes.get(obj, "metadata", "annotations"));
    }

    private static Map<String, String> stringMap(Object o) {
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, Object> m = Nodes.asMap(o);
        if (m != null) {
            for (Map.Entry<String, Object> e : m.entrySet()) {
                out.put(e.getKey(), Nodes.entryText(m, e.getKey()));
            }
        }
        return out;
    }

    void setLabels(Map<String, String> labels) {
        setStringMap("labels", labels);
    }

    void setAnnotations(Map<String, String> annotations) {
        setStringMap("annotations", annotations);
    }

    private void setStringMap(String field, Map<String, String> values) {
        if (values.isEmpty()) {
            Map<String, Object> md = Nodes.asMap(obj.get("metadata"));
            if (md != null) {
                md.remove(field);
            }
            return;
        }
        Map<String, Object> m = new LinkedHashMap<>(values);
        metadata().put(field, m);
    }

    boolean isEmpty() {
        return obj == null || obj.isEmpty();
    }

    /** kustomize's CopyMergeMetaDataFieldsFrom: labels and annotations merged (ours win), name and namespace copied. */
    void copyMergeMetaDataFieldsFrom(Resource other) {
        Map<String, String> l = new LinkedHashMap<>(other.labels());
        l.putAll(labels());
        setLabels(l);
        Map<String, String> a = new LinkedHashMap<>(other.annotations());
        a.putAll(annotations());
        setAnnotations(a);
        setName(other.name());
        setNamespace(other.namespace());
        // annotations merge with ours winning: so does the origin
        if (origin == null) {
            origin = other.origin;
        }
        if (transformations.isEmpty()) {
            transformations = new ArrayList<>(other.transformations);
        }
        // build annotations (name history) come from the other resource only
        previousIds = new ArrayList<>(other.previousIds);
        prefixes = new ArrayList<>(other.prefixes);
        suffixes = new ArrayList<>(other.suffixes);
        behavior = other.behavior;
        needsHashSuffix = other.needsHashSuffix;
        refVarNames = new ArrayList<>(other.refVarNames);
    }

    boolean prefixesSuffixesEquals(Resource o) {
        return sameEndingSubSlice(prefixes, o.prefixes) && sameEndingSubSlice(suffixes, o.suffixes);
    }

    private static boolean sameEndingSubSlice(List<String> a, List<String> b) {
        List<String> shortest = a.size() <= b.size() ? a : b;
        List<String> longest = a.size() <= b.size() ? b : a;
        int diff = longest.size() - shortest.size();
        if (shortest.isEmpty()) {
            return diff == 0;
        }
        for (int i = shortest.size() - 1; i >= 0; i--) {
            if (!longest.get(i + diff).equals(shortest.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return curId().toString();
    }
}
